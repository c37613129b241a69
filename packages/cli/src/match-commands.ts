/**
 * `passage dedupe`, `passage link` and `passage screen`: the matching engine for analysts with spreadsheets.
 * CSV (or XLSX) in through @passage/tabular (encodings, BOM, CRLF, quoted newlines), CSV out through
 * csv-stringify. No database. Exit codes: 0 done, 2 a problem with the command line or the input files
 * (the message says which), 1 anything else.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import {
  FIELD_NAMES,
  Watchlist,
  dedupe,
  linkLists,
  paramsFromJSON,
  paramsToJSON,
  probabilityOf,
  weightOf,
  type DedupeProgress,
  type MatchRecord,
  type ModelParams,
  type WatchlistEntry,
} from '@passage/match';
import { openTableFile, TabularError } from '@passage/tabular';
import { MATCH_HELP, PERSON_COLUMNS } from './usage.ts';

const WATCHLIST_COLUMNS = ['entry_id', 'name', 'alias_of', 'date_of_birth', 'nationality'] as const;

/** A problem with the command line or the input: exit code 2 with this message. */
export class InputError extends Error {}

// ---------------------------------------------------------------------------------------------
// Reading

function parseMap(spec: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (!spec) return map;
  for (const part of spec.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new InputError(`--map expects OLD=NEW pairs separated by commas, not "${part}"`);
    map.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return map;
}

interface ReadTable {
  columns: string[];
  rows: { row: number; values: Record<string, string> }[];
}

async function readTable(file: string, label: string, rename: Map<string, string>, onRow?: () => void): Promise<ReadTable> {
  if (!fs.existsSync(file)) throw new InputError(`${label} file not found: ${file}`);
  let table;
  try {
    table = await openTableFile(file);
  } catch (error) {
    if (error instanceof TabularError) throw new InputError(`${label} file ${file}: ${error.message}`);
    throw error;
  }
  const columns = table.header.columns.map((c) => rename.get(c) ?? c);
  const rows: ReadTable['rows'] = [];
  try {
    for await (const { row, values } of table.rows) {
      const out: Record<string, string> = {};
      table.header.columns.forEach((c, k) => (out[columns[k]!] = (values[c] ?? '').trim()));
      rows.push({ row, values: out });
      onRow?.();
    }
  } catch (error) {
    if (error instanceof TabularError) throw new InputError(`${label} file ${file}: ${error.message}`);
    throw error;
  }
  return { columns, rows };
}

/** Person records from a table; checks the record_id column and unique ids. */
function toRecords(table: ReadTable, file: string): MatchRecord[] {
  if (!table.columns.includes('record_id')) {
    throw new InputError(`${file} has no record_id column (its columns: ${table.columns.join(', ').slice(0, 300)}). Name it with --map, e.g. --map id=record_id`);
  }
  const known = PERSON_COLUMNS.filter((c) => table.columns.includes(c));
  if (known.length === 1) process.stderr.write(`passage: warning: ${file} has none of the name or date columns (${PERSON_COLUMNS.slice(1).join(', ')}): every record will be its own cluster\n`);
  const seen = new Map<string, number>();
  const records: MatchRecord[] = [];
  for (const { row, values } of table.rows) {
    const id = values.record_id ?? '';
    if (id === '') throw new InputError(`${file}, row ${row}: record_id is empty`);
    const first = seen.get(id);
    if (first !== undefined) throw new InputError(`${file}: duplicate record_id "${id.slice(0, 60)}" in rows ${first} and ${row}`);
    seen.set(id, row);
    const v = (c: string) => (values[c] === undefined || values[c] === '' ? null : values[c]);
    records.push({
      id,
      givenName: v('given_name'),
      middleName: v('middle_name'),
      familyName: v('family_name'),
      nameOriginal: v('name_original_script'),
      sex: v('sex'),
      dateOfBirth: v('date_of_birth'),
      nationality: v('nationality'),
      documentNumber: v('document_number'),
      phone: v('phone'),
    });
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// Writing and progress

async function writeCsv(file: string, header: readonly string[], rows: Iterable<readonly (string | number)[]>): Promise<void> {
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  const csv = stringify({ header: true, columns: [...header] });
  csv.on('error', (e) => out.destroy(e));
  csv.pipe(out);
  for (const row of rows) {
    if (!csv.write(row)) await new Promise<void>((resolve) => csv.once('drain', resolve));
  }
  csv.end();
  await done;
}

/** A progress bar on stderr when it is a terminal, else a line now and then. */
class Progress {
  private lastLine = 0;
  private lastDraw = 0;
  private readonly tty = process.stderr.isTTY === true;
  private readonly started = Date.now();
  constructor(private readonly command: string) {}
  update(stage: string, done: number, total: number): void {
    const now = Date.now();
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    if (this.tty) {
      if (now - this.lastDraw < 100 && fraction < 1) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(`\r${this.command}: ${stage.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%  ${((now - this.started) / 1000).toFixed(1)} s `);
    } else if (now - this.lastLine >= 2000 || (fraction >= 1 && stage !== 'read')) {
      this.lastLine = now;
      process.stderr.write(`${this.command}: ${stage} ${Math.round(fraction * 100)}% (${((now - this.started) / 1000).toFixed(1)} s)\n`);
    }
  }
  done(summary: string): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${this.command}: ${summary} (${((Date.now() - this.started) / 1000).toFixed(1)} s)\n`);
  }
}

function probabilityOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const p = Number(value);
  if (!(p > 0 && p < 1)) throw new InputError(`${name} must be a probability between 0 and 1 (exclusive), not "${value}"`);
  return p;
}

function workersOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InputError(`--workers must be a whole number from 0 to 64, not "${value}"`);
  return n;
}

function readParams(file: string | undefined): ModelParams | undefined {
  if (!file) return undefined;
  if (!fs.existsSync(file)) throw new InputError(`parameters file not found: ${file}`);
  try {
    return paramsFromJSON(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
}

const round = (x: number, digits = 6) => Number(x.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Commands

async function runDedupe(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string' },
      output: { type: 'string' },
      threshold: { type: 'string' },
      'review-threshold': { type: 'string' },
      pairs: { type: 'string' },
      map: { type: 'string' },
      'params-in': { type: 'string' },
      'params-out': { type: 'string' },
      workers: { type: 'string' },
    },
    strict: true,
  });
  if (!values.input || !values.output) throw new InputError('--input and --output are required (see passage dedupe --help)');
  const threshold = probabilityOption(values.threshold, '--threshold', 0.9);
  const review = Math.min(threshold, probabilityOption(values['review-threshold'], '--review-threshold', 0.5));
  const workers = workersOption(values.workers);
  const params = readParams(values['params-in']);
  const rename = parseMap(values.map);
  const progress = new Progress('dedupe');
  let read = 0;
  const table = await readTable(values.input, 'input', rename, () => {
    if (++read % 10_000 === 0) progress.update('read', read, read);
  });
  const records = toRecords(table, values.input);
  const stages: Record<DedupeProgress['stage'], [number, number]> = { prepare: [0, 0.1], train: [0.1, 0.3], block: [0.3, 0.35], score: [0.35, 0.95], cluster: [0.95, 1] };
  const result = await dedupe(records, {
    sameThreshold: threshold,
    reviewThreshold: review,
    workers,
    params,
    onProgress: (p) => {
      const [a, b] = stages[p.stage];
      progress.update(p.stage, a + (b - a) * (p.total > 0 ? p.done / p.total : 1), 1);
    },
  });
  const { clusterIds } = result.clusters;
  await writeCsv(
    values.output,
    ['record_id', 'cluster_id'],
    records.map((r, k) => [r.id, clusterIds[k]!]),
  );
  if (values.pairs) {
    const sameW = weightOf(threshold);
    const order = Array.from(result.pairs.i.keys()).sort((x, y) => result.pairs.weight[y]! - result.pairs.weight[x]! || result.pairs.i[x]! - result.pairs.i[y]! || result.pairs.j[x]! - result.pairs.j[y]!);
    const header = ['record_id_1', 'record_id_2', 'probability', 'match_weight', 'decision', 'same_cluster', 'context', 'prior', ...FIELD_NAMES.flatMap((f) => [`${f}_level`, `${f}_weight`]), 'full_name_tf'];
    const ids = result.table.ids;
    await writeCsv(
      values.pairs,
      header,
      (function* () {
        for (const k of order) {
          const i = result.pairs.i[k]!;
          const j = result.pairs.j[k]!;
          const e = result.explain(i, j);
          yield [
            ids[i]!,
            ids[j]!,
            round(probabilityOf(result.pairs.weight[k]!)),
            round(e.matchWeight, 3),
            result.pairs.weight[k]! >= sameW ? 'same' : 'review',
            clusterIds[i] === clusterIds[j] ? 'yes' : 'no',
            e.context,
            round(e.prior, 3),
            ...e.fields.flatMap((f) => [f.label, round(f.weight + f.tfAdjustment, 3)]),
            round(e.fullNameTfAdjustment, 3),
          ];
        }
      })(),
    );
  }
  if (values['params-out']) fs.writeFileSync(values['params-out'], `${paramsToJSON(result.params)}\n`);
  const capped = result.blocking.filter((r) => r.cappedBlocks > 0);
  if (capped.length > 0) {
    process.stderr.write(
      `dedupe: note: ${capped.map((r) => `${r.cappedBlocks} block(s) of rule ${r.name} (largest ${r.largestBlock} records)`).join('; ')} were too large to compare every pair: there, each record was compared with its nearest neighbours (by date of birth and name) only\n`,
    );
  }
  progress.done(
    `${records.length} records → ${result.clusters.clusters} clusters (${result.clusters.multiRecordClusters} with several records); ` +
      `${result.stats.pairsScored} candidate pairs scored, ${result.clusters.review.length} pairs to review; wrote ${values.output}${values.pairs ? ` and ${values.pairs}` : ''}`,
  );
}

async function runLink(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { left: { type: 'string' }, right: { type: 'string' }, output: { type: 'string' }, threshold: { type: 'string' }, map: { type: 'string' }, workers: { type: 'string' } },
    strict: true,
  });
  if (!values.left || !values.right || !values.output) throw new InputError('--left, --right and --output are required (see passage link --help)');
  const threshold = probabilityOption(values.threshold, '--threshold', 0.9);
  const workers = workersOption(values.workers);
  const rename = parseMap(values.map);
  const progress = new Progress('link');
  const left = toRecords(await readTable(values.left, 'left', rename), values.left);
  const right = toRecords(await readTable(values.right, 'right', rename), values.right);
  progress.update('score', 0, 1);
  const result = await linkLists(left, right, { threshold, workers });
  await writeCsv(
    values.output,
    ['left_id', 'right_id', 'probability'],
    result.links.map((l) => [l.leftId, l.rightId, round(l.probability)]),
  );
  progress.done(`${left.length} + ${right.length} records → ${result.links.length} links (${result.pairsScored} candidate pairs scored); wrote ${values.output}`);
}

async function runScreen(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { watchlist: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' }, threshold: { type: 'string' }, map: { type: 'string' }, workers: { type: 'string' } },
    strict: true,
  });
  if (!values.watchlist || !values.input || !values.output) throw new InputError('--watchlist, --input and --output are required (see passage screen --help)');
  const threshold = probabilityOption(values.threshold, '--threshold', 0.85);
  workersOption(values.workers);
  const progress = new Progress('screen');
  const list = await readTable(values.watchlist, 'watchlist', new Map());
  for (const c of ['entry_id', 'name'] as const) {
    if (!list.columns.includes(c)) throw new InputError(`${values.watchlist} has no ${c} column (expected ${WATCHLIST_COLUMNS.join(', ')})`);
  }
  const entries: WatchlistEntry[] = list.rows.map(({ row, values: v }) => {
    if (!v.entry_id) throw new InputError(`${values.watchlist}, row ${row}: entry_id is empty`);
    return { entryId: v.entry_id, name: v.name ?? '', aliasOf: v.alias_of || null, dateOfBirth: v.date_of_birth || null, nationality: v.nationality || null };
  });
  const watchlist = new Watchlist(entries);
  if (watchlist.danglingAliases.length > 0) process.stderr.write(`screen: note: ${watchlist.danglingAliases.length} alias row(s) name an entry that is not in the list; they are screened as entries of their own\n`);
  const people = toRecords(await readTable(values.input, 'input', parseMap(values.map)), values.input);
  const hits: [string, string, number][] = [];
  people.forEach((p, k) => {
    const latin = [p.givenName, p.middleName, p.familyName].filter((x) => x).join(' ');
    const names = [latin, p.nameOriginal ?? ''].filter((x) => x.trim() !== '');
    for (const h of watchlist.screen({ names, dateOfBirth: p.dateOfBirth, nationality: p.nationality }, { threshold })) hits.push([p.id, h.entryId, round(h.score)]);
    if (k % 1000 === 999) progress.update('screen', k + 1, people.length);
  });
  await writeCsv(values.output, ['record_id', 'entry_id', 'probability'], hits);
  progress.done(`${people.length} people screened against ${entries.length} watchlist rows → ${hits.length} hits; wrote ${values.output}`);
}

/** Runs a matching command; returns the exit code. */
export async function runMatchCommand(command: string, args: string[]): Promise<number> {
  if (!(command in MATCH_HELP)) return 2;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${MATCH_HELP[command as keyof typeof MATCH_HELP]}\n`);
    return 0;
  }
  try {
    if (command === 'dedupe') await runDedupe(args);
    else if (command === 'link') await runLink(args);
    else await runScreen(args);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof InputError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`passage ${command}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
