import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { DataFolderLock } from './data-lock.ts';
import { EmbeddedPostgres } from './embedded.ts';
import type { Database } from './schema.ts';

// A calendar date (SQL `date`, OID 1082) stays the string PostgreSQL sends ('2001-07-01'): turning it
// into a JavaScript Date would shift it by the server's time zone.
pg.types.setTypeParser(1082, (value: string) => value);

// Return int8 (bigserial ids, counts) as strings is pg's default; keep it, and parse
// `numeric` never implicitly. Dates stay Date objects.

/** How to reach the database. */
export interface DatabaseConfig {
  /** An external PostgreSQL 15+; when absent, the embedded server in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** The data folder (embedded cluster, keys, files). */
  dataDir: string;
  /** Connections in the pool. */
  poolSize?: number;
}

/** An open database and what it takes to close it. */
export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** 'embedded' or 'external'. */
  mode: 'embedded' | 'external';
  /** True when the embedded cluster was created by this call. */
  created: boolean;
  /** Closes the pool, then stops the embedded server and releases the data folder. */
  close(): Promise<void>;
}

/** Marks a statement to be prepared once per connection (see `preparing`): begin its text with this comment. */
export const PREPARE = '/* passage:prepare */';
/** Prepared statements kept per connection; statements of new shapes past this run unprepared. */
const PREPARED_PER_CONNECTION = 64;

/**
 * A client whose statements that begin with PREPARE are sent as named prepared statements, the name a hash of the
 * text: PostgreSQL parses (and, after a few runs, plans) each shape once per connection, and only its parameters
 * travel afterwards. For large statements sent many times (a household's registration: one statement of a dozen
 * INSERTs and ~200 parameters). Bounded per connection; everything else is untouched.
 */
function preparing(client: pg.PoolClient): void {
  const names = new Set<string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) => {
    if (typeof text === 'string' && text.startsWith(PREPARE) && Array.isArray(rest[0])) {
      const name = `passage_${crypto.createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
      if (names.has(name) || names.size < PREPARED_PER_CONNECTION) {
        names.add(name);
        return query({ name, text, values: rest[0] }, ...rest.slice(1));
      }
    }
    return query(text, ...rest);
  };
}

/** Creates a Kysely instance on a pool for a connection string. */
export function kyselyFor(url: string, poolSize = 10): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 30_000, application_name: 'passage' });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', preparing);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** Opens the configured database: external when `databaseUrl` is set, else the embedded server. */
export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const { db, pool } = kyselyFor(config.databaseUrl, config.poolSize);
    await sql`SELECT 1`.execute(db);
    return { db, pool, mode: 'external', created: false, close: () => db.destroy() };
  }
  const lock = DataFolderLock.acquire(config.dataDir);
  const server = new EmbeddedPostgres({
    pgDataDir: path.join(config.dataDir, 'pg'),
    logFile: path.join(config.dataDir, 'postgres.log'),
  });
  try {
    const created = await server.initialise();
    await server.start();
    if (created) {
      const { db: admin } = kyselyFor(server.url('postgres'), 1);
      await sql`CREATE DATABASE passage`.execute(admin);
      await admin.destroy();
    }
    const { db, pool } = kyselyFor(server.url('passage'), config.poolSize);
    return {
      db,
      pool,
      mode: 'embedded',
      created,
      close: async () => {
        await db.destroy();
        await server.stop();
        lock.release();
      },
    };
  } catch (error) {
    await server.stop().catch(() => undefined);
    lock.release();
    throw error;
  }
}

/** Settings that must be on for committed data to survive a crash. */
export const DURABILITY_SETTINGS = ['fsync', 'full_page_writes', 'synchronous_commit'] as const;

/** Returns the durability settings that are not on (empty when all are). */
export async function unsafeDurabilitySettings(db: Kysely<Database>): Promise<string[]> {
  const off: string[] = [];
  for (const name of DURABILITY_SETTINGS) {
    const { rows } = await sql<{ value: string }>`SELECT current_setting(${name}) AS value`.execute(db);
    if (rows[0]?.value !== 'on') off.push(`${name}=${rows[0]?.value ?? '?'}`);
  }
  return off;
}

/** Ensures a folder exists with owner-only permissions. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}
