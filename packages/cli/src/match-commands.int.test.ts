// passage-test-database: none — uses no database (the matching commands), so the --embedded run of the suite skips it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/passage.mjs');
const FEBRL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/febrl');
const febrlThere = fs.existsSync(path.join(FEBRL, 'dataset3.csv'));

/** Runs `passage ARGS…` as a user does; no database is needed for these commands. */
function passage(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LOG_LEVEL: 'warn' } });
}

/** Reads a CSV this command wrote (csv-stringify: values quoted only when needed; none here hold commas). */
function readCsv(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

/** Pairwise precision and recall of a clusters file, given the true entity of each record id. */
function quality(clustersFile: string, entityOf: (id: string) => string): { precision: number; recall: number } {
  const rows = readCsv(clustersFile).slice(1);
  const pairs = (k: number) => (k * (k - 1)) / 2;
  const count = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.values()].reduce((a, s) => a + pairs(s), 0);
  };
  const predicted = count(rows.map((r) => r[1]!));
  const truth = count(rows.map((r) => entityOf(r[0]!)));
  const tp = count(rows.map((r) => `${r[1]}|${entityOf(r[0]!)}`));
  return { precision: tp / predicted, recall: tp / truth };
}

describe('passage dedupe / link / screen', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-match-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it('prints help for each command, and lists them in passage --help', () => {
    for (const command of ['dedupe', 'link', 'screen']) {
      const res = passage(command, '--help');
      assert.equal(res.status, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`Usage: passage ${command}`));
    }
    assert.match(passage('--help').stdout, /dedupe .*\n.*link .*\n.*screen /);
  });

  it('dedupes a CSV with a BOM, CRLF line ends, quoted newlines, other scripts and extra columns', () => {
    const csv =
      '\ufeffrecord_id,given_name,middle_name,family_name,name_original_script,sex,date_of_birth,nationality,document_number,notes\r\n' +
      'A1,Mohammed,,Al-Hassan,,M,1990-05-17,SYR,N0123456,"first visit\r\nsecond line"\r\n' +
      'A2,Muhammad,Ali,Alhassan,محمد علي الحسن,M,1990-05-17,SYR,NO123456,\r\n' +
      'A3,,,,محمد الحسن,M,1990-05-17,,,\r\n' +
      'B1,Olena,,Shevchenko,,F,1985-01-01,UKR,,\r\n' +
      'B2,Олена,,Шевченко,,F,1985,UKR,,\r\n' +
      'C1,Tesfay,Habte,,,M,1970-03-04,ERI,,\r\n' +
      'D1,,,,,,,,,\r\n';
    const input = file('small.csv', csv);
    const out = path.join(dir, 'small-clusters.csv');
    const pairs = path.join(dir, 'small-pairs.csv');
    const res = passage('dedupe', '--input', input, '--output', out, '--pairs', pairs, '--threshold', '0.5');
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /7 records → \d+ clusters/);
    const rows = readCsv(out);
    assert.deepEqual(rows[0], ['record_id', 'cluster_id']);
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'D1'],
      'every input row, in input order',
    );
    const cluster = Object.fromEntries(rows.slice(1).map((r) => [r[0], r[1]]));
    assert.equal(cluster.A2, 'A1');
    assert.equal(cluster.A3, 'A1');
    assert.equal(cluster.B2, 'B1');
    assert.equal(cluster.C1, 'C1');
    assert.equal(cluster.D1, 'D1');
    const header = readCsv(pairs)[0]!;
    for (const col of ['record_id_1', 'record_id_2', 'probability', 'match_weight', 'decision', 'given_level', 'given_weight', 'dob_level', 'document_weight']) assert.ok(header.includes(col), col);
    assert.ok(readCsv(pairs).length > 1);
  });

  it('refuses a file without record_id, duplicate ids, and bad options, with exit code 2 and a clear message', () => {
    const noId = file('no-id.csv', 'id,given_name\n1,Ali\n');
    let res = passage('dedupe', '--input', noId, '--output', path.join(dir, 'x.csv'));
    assert.equal(res.status, 2);
    assert.match(res.stderr, /no record_id column \(its columns: id, given_name\)/);
    // --map fixes it.
    res = passage('dedupe', '--input', noId, '--output', path.join(dir, 'x.csv'), '--map', 'id=record_id');
    assert.equal(res.status, 0, res.stderr);

    const dup = file('dup.csv', 'record_id,given_name\n7,Ali\n8,Omar\n7,Hassan\n');
    res = passage('dedupe', '--input', dup, '--output', path.join(dir, 'x.csv'));
    assert.equal(res.status, 2);
    assert.match(res.stderr, /duplicate record_id "7" in rows 2 and 4/);

    for (const args of [
      ['--output', path.join(dir, 'x.csv')],
      ['--input', path.join(dir, 'missing.csv'), '--output', path.join(dir, 'x.csv')],
      ['--input', noId, '--output', path.join(dir, 'x.csv'), '--threshold', '1.5'],
      ['--input', noId, '--output', path.join(dir, 'x.csv'), '--map', 'nonsense'],
      ['--input', noId, '--output', path.join(dir, 'x.csv'), '--frobnicate'],
    ]) {
      res = passage('dedupe', ...args);
      assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, /^passage dedupe: /);
    }
    const binary = file('binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0xff]));
    res = passage('dedupe', '--input', binary, '--output', path.join(dir, 'x.csv'));
    assert.equal(res.status, 2, res.stderr);
  });

  it('stores the parameters it estimated and reuses them', () => {
    const rows = ['record_id,given_name,family_name,date_of_birth'];
    for (let k = 0; k < 300; k++) rows.push(`${k},Name${String.fromCharCode(97 + (k % 26))},Family${String.fromCharCode(97 + ((k * 7) % 26))},19${50 + (k % 40)}-0${1 + (k % 9)}-1${k % 9}`);
    const input = file('params.csv', `${rows.join('\n')}\n`);
    const params = path.join(dir, 'params.json');
    let res = passage('dedupe', '--input', input, '--output', path.join(dir, 'p1.csv'), '--params-out', params);
    assert.equal(res.status, 0, res.stderr);
    assert.equal((JSON.parse(fs.readFileSync(params, 'utf8')) as { kind: string }).kind, 'passage-match-fellegi-sunter');
    res = passage('dedupe', '--input', input, '--output', path.join(dir, 'p2.csv'), '--params-in', params);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'p1.csv'), 'utf8'), fs.readFileSync(path.join(dir, 'p2.csv'), 'utf8'));
    res = passage('dedupe', '--input', input, '--output', path.join(dir, 'p3.csv'), '--params-in', input);
    assert.equal(res.status, 2);
  });

  it('dedupes FEBRL dataset 3 (a file made outside the project) with --map', { skip: !febrlThere && 'FEBRL files not present' }, () => {
    const out = path.join(dir, 'febrl3.csv');
    const res = passage('dedupe', '--input', path.join(FEBRL, 'dataset3.csv'), '--output', out, '--map', 'rec_id=record_id,surname=family_name,soc_sec_id=document_number');
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stderr, /dedupe: .*%/, 'progress lines on a non-terminal stderr');
    const q = quality(out, (id) => id.split('-')[1]!);
    assert.ok(q.precision >= 0.99 && q.recall >= 0.93, JSON.stringify(q));
  });

  it('links FEBRL dataset 4a and 4b one to one', { skip: !febrlThere && 'FEBRL files not present' }, () => {
    const out = path.join(dir, 'links.csv');
    const map = 'rec_id=record_id,surname=family_name,soc_sec_id=document_number';
    const res = passage('link', '--left', path.join(FEBRL, 'dataset4a.csv'), '--right', path.join(FEBRL, 'dataset4b.csv'), '--output', out, '--map', map);
    assert.equal(res.status, 0, res.stderr);
    const rows = readCsv(out);
    assert.deepEqual(rows[0], ['left_id', 'right_id', 'probability']);
    const links = rows.slice(1);
    assert.equal(new Set(links.map((r) => r[0])).size, links.length);
    assert.equal(new Set(links.map((r) => r[1])).size, links.length);
    const correct = links.filter((r) => r[0]!.split('-')[1] === r[1]!.split('-')[1]).length;
    assert.ok(correct / links.length > 0.99, `precision ${correct / links.length}`);
    assert.ok(correct / 5000 > 0.95, `recall ${correct / 5000}`);
  });

  it('screens people against a watchlist with aliases', () => {
    const list = file(
      'list.csv',
      'entry_id,name,alias_of,date_of_birth,nationality\nE1,Abu Bakr al-Baghdadi,,1971-07-28,IRQ\nE1a,Ibrahim Awad Ibrahim al-Badri,E1,,\nE2,Oleksandr Ivanov,,1965,UKR\n',
    );
    const people = file(
      'people.csv',
      'record_id,given_name,family_name,name_original_script,date_of_birth,nationality\nP1,Ibrahim Awad,Al-Badri,,1971-07-28,IRQ\nP2,Olena,Bondarenko,,1990-01-01,UKR\nP3,,,Олександр Іванов,1965-04-04,UKR\n',
    );
    const out = path.join(dir, 'hits.csv');
    const res = passage('screen', '--watchlist', list, '--input', people, '--output', out);
    assert.equal(res.status, 0, res.stderr);
    const rows = readCsv(out);
    assert.deepEqual(rows[0], ['record_id', 'entry_id', 'probability']);
    const hits = rows.slice(1).map((r) => `${r[0]}→${r[1]}`);
    assert.deepEqual(hits, ['P1→E1', 'P3→E2']);
    const bad = passage('screen', '--watchlist', people, '--input', people, '--output', out);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /has no entry_id column/);
  });
});
