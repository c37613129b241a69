import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { kyselyFor, type DatabaseHandle } from './connect.ts';
import { EmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * A fresh, migrated database for one test file.
 *
 * Where: `PASSAGE_TEST_DATABASE_URL` (a server URL whose user may CREATE DATABASE) when set;
 * else the local PostgreSQL on 127.0.0.1:5432 when it answers; else an embedded server
 * in a temporary folder. `PASSAGE_TEST_DB=embedded` forces the embedded server, so the
 * integration suite runs on both.
 */
export interface TestDatabase extends DatabaseHandle {
  /** Connection string of the fresh database. */
  url: string;
}

let embedded: EmbeddedPostgres | null = null;
/** Open test databases on the embedded server: it stops when the last one closes. */
let embeddedUsers = 0;

async function localServerUrl(): Promise<string | null> {
  if (process.env.PASSAGE_TEST_DB === 'embedded') return null;
  const url = process.env.PASSAGE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    await client.end().catch(() => undefined);
    if (process.env.PASSAGE_TEST_DATABASE_URL) throw new Error('PASSAGE_TEST_DATABASE_URL is set but does not answer');
    return null;
  }
}

async function embeddedServerUrl(): Promise<string> {
  if (!embedded) {
    // /tmp is reachable by the postgres user when tests run as root.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-test-pg-'));
    fs.chmodSync(dir, 0o711);
    embedded = new EmbeddedPostgres({ pgDataDir: path.join(dir, 'pg'), logFile: path.join(dir, 'postgres.log') });
    await embedded.initialise();
    await embedded.start();
    const server = embedded;
    process.once('exit', () => {
      fs.rmSync(dir, { recursive: true, force: true });
    });
    process.once('beforeExit', () => void server.stop());
  }
  return embedded.url('postgres');
}

/** Creates and migrates a database with a random name; `close()` drops it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const local = await localServerUrl();
  const serverUrl = local ?? (await embeddedServerUrl());
  if (!local) embeddedUsers++;
  const name = `passage_test_${crypto.randomBytes(6).toString('hex')}`;
  const { db: admin } = kyselyFor(serverUrl, 1);
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const { db, pool } = kyselyFor(url, 10);
  if (options.migrate !== false) await migrateToLatest(db);
  return {
    db,
    pool,
    url,
    mode: local ? 'external' : 'embedded',
    created: true,
    close: async () => {
      await db.destroy();
      await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin);
      await admin.destroy();
      if (!local && --embeddedUsers === 0 && embedded) {
        await embedded.stop();
        embedded = null;
      }
    },
  };
}
