// passage-test-database: none — starts its own embedded PostgreSQL, so the --embedded run of the suite skips it.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/passage.mjs');

/** The `passage` command on the embedded database, as a user runs it. */
describe('passage CLI on the embedded database', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-cli-'));
    fs.chmodSync(dataDir, 0o711); // reachable by the postgres user when tests run as root
    env = { ...process.env, PASSAGE_DATA_DIR: path.join(dataDir, 'data'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATABASE_URL: '', PASSAGE_ENV: 'development' };
    delete env.DATABASE_URL;
  });
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function serve(): { child: ChildProcess; ready: Promise<{ url: string; output: string }> } {
    const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const ready = new Promise<{ url: string; output: string }>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /ready at (http:\/\/\S+)/.exec(output);
        if (m) resolve({ url: m[1]!.replace('localhost', '127.0.0.1'), output });
      };
      child.stderr!.on('data', onData);
      child.stdout!.on('data', onData);
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
    });
    return { child, ready };
  }

  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  it('prints help for every command', () => {
    for (const args of [['--help'], ['keys', 'rotate', '--help'], ['serve', '--help'], ['migrate', '--help'], ['seed-demo', '--help'], ['user', 'create', '--help'], ['audit', 'verify', '--help']]) {
      const res = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
      assert.equal(res.status, 0, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stdout, /Usage: passage/);
    }
    const bad = spawnSync(process.execPath, [BIN, 'frobnicate'], { env, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown command/);
  });

  it('first start initialises, migrates, seeds and prints how to sign in; a second process on the folder fails at once; SIGTERM stops cleanly', async () => {
    const first = serve();
    const { url, output } = await first.ready;
    assert.match(output, /Applied migrations/);
    assert.match(output, /Generated a local encryption master key/);
    assert.match(output, /administrator@demo\.passage\.invalid/);
    assert.match(output, /password for all: /);
    const health = await fetch(`${url}/readyz`);
    assert.equal(health.status, 200);

    const t0 = Date.now();
    const second = spawnSync(process.execPath, [BIN, 'serve'], { env, encoding: 'utf8', timeout: 30_000 });
    assert.notEqual(second.status, 0);
    assert.match(second.stderr, /already in use by another Passage process \(pid \d+\)/);
    assert.ok(Date.now() - t0 < 15_000, 'fails at once, not after a timeout');

    // A request in flight when SIGTERM arrives still completes (drain), then the database stops.
    // The second failed sign-in in a row is answered after a deliberate delay: a request that is
    // surely still being handled when the signal arrives.
    const wrong = () => fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'viewer@demo.passage.invalid', password: 'wrong password here' }) });
    assert.equal((await wrong()).status, 401);
    const inflight = wrong();
    await new Promise((r) => setTimeout(r, 150));
    first.child.kill('SIGTERM');
    assert.equal((await inflight).status, 401, 'the in-flight request was answered');
    assert.equal(await exited(first.child), 0);
    assert.equal(fs.existsSync(path.join(env.PASSAGE_DATA_DIR!, 'pg', 'postmaster.pid')), false, 'PostgreSQL stopped');
    assert.equal(fs.existsSync(path.join(env.PASSAGE_DATA_DIR!, 'passage.lock')), false, 'lock released');
  });

  it('restarts on the existing folder without re-seeding; migrate is a no-op; audit verify passes', async () => {
    const again = serve();
    const { output } = await again.ready;
    assert.doesNotMatch(output, /Applied migrations/);
    again.child.kill('SIGINT');
    assert.equal(await exited(again.child), 0);

    const migrate = spawnSync(process.execPath, [BIN, 'migrate'], { env, encoding: 'utf8' });
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.match(migrate.stdout, /up to date/);
    const rotate = spawnSync(process.execPath, [BIN, 'keys', 'rotate', '--new-key-env', 'NEW_KEY'], { env: { ...env, NEW_KEY: Buffer.alloc(32, 7).toString('base64') }, encoding: 'utf8' });
    assert.equal(rotate.status, 0, rotate.stderr);
    assert.match(rotate.stdout, /Re-wrapped 1 data keys/);
    const verify = spawnSync(process.execPath, [BIN, 'audit', 'verify'], { env, encoding: 'utf8' });
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /OK: \d+ audit events, chain intact/);
  });

  it('creates a user from the command line, reading the password from the environment', () => {
    const res = spawnSync(process.execPath, [BIN, 'user', 'create', '--email', 'cli.admin@demo.passage.invalid', '--name', 'CLI Admin', '--role', 'administrator', '--office', 'DEMO-HQ'], {
      env: { ...env, PASSAGE_NEW_PASSWORD: 'a cli created passphrase' },
      encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Created user [0-9a-f-]{36} \(administrator at DEMO-HQ\)/);
    const weak = spawnSync(process.execPath, [BIN, 'user', 'create', '--email', 'weak@demo.passage.invalid', '--name', 'W', '--role', 'viewer', '--office', 'DEMO-HQ'], {
      env: { ...env, PASSAGE_NEW_PASSWORD: 'password' },
      encoding: 'utf8',
    });
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /password: Password must be at least 12 characters/);
  });
});
