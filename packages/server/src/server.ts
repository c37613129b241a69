import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase, unsafeDurabilitySettings, type DatabaseHandle } from '@passage/db';
import { buildApp, type PassageApp } from './app.ts';
import type { Config } from './platform/config.ts';
import { JobQueue } from './platform/jobs.ts';
import type { AppDeps } from './platform/http-types.ts';
import { registerRegistryWorkers } from './modules/registry/registry.jobs.ts';
import { registerMatchWorkers } from './modules/match/match.jobs.ts';
import { PersonMatchIndex } from './modules/match/person-index.ts';
import { EncryptionService } from './platform/encryption.ts';
import { resolveMasterKey } from './platform/master-key.ts';
import { OfficeDirectory } from './platform/offices-directory.ts';
import { purgeExpiredSessions } from './platform/sessions.ts';
import { startAuditLinker } from './platform/audit.ts';
import { seedDemo, type DemoCredentials } from './seed/demo.ts';
import { seedDemoPeople } from './seed/demo-people-seed.ts';
import { seedDemoCases } from './seed/demo-cases-seed.ts';
import { attachmentStore } from './modules/cases/attachments.service.ts';

/** Demo households registered on a first start (a few thousand people). */
export const DEMO_HOUSEHOLDS = 800;

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built web app, when present. */
export const DEFAULT_WEB_ROOT = path.resolve(here, '../../web/dist');
/** The running version, from the root package. */
export const VERSION: string = (JSON.parse(fs.readFileSync(path.resolve(here, '../../../package.json'), 'utf8')) as { version: string }).version;

/** A running Passage: the HTTP server on its database. */
export interface RunningPassage {
  app: PassageApp;
  database: DatabaseHandle;
  url: string;
  /** Demo accounts when demo data was seeded by this start. */
  demo: DemoCredentials | null;
  /** Drains HTTP, closes the pool, stops the embedded database. Safe to call twice. */
  stop(): Promise<void>;
}

/** Opens the database, checks durability, migrates, seeds demo data on first start, and serves. */
export async function startPassage(config: Config, options: { logger?: boolean; webRoot?: string | null; log?: (msg: string) => void } = {}): Promise<RunningPassage> {
  const log = options.log ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  try {
    const unsafe = await unsafeDurabilitySettings(database.db);
    if (unsafe.length > 0) {
      const message = `PostgreSQL is not durable (${unsafe.join(', ')}): a crash could lose committed records.`;
      if (config.env === 'production') throw new Error(`${message} Refusing to start in production.`);
      log(`WARNING: ${message}`);
    }
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
    const masterKey = resolveMasterKey(config.masterKey, config.dataDir, log);
    const encryption = await EncryptionService.open(database.db, masterKey);
    let demo: DemoCredentials | null = null;
    if (config.demo) {
      demo = await seedDemo(database.db, encryption, { onlyIfEmpty: true });
      if (demo) {
        log(`Registered ${await seedDemoPeople(database.db, encryption, { households: DEMO_HOUSEHOLDS })} fictitious demo people.`);
        log(`Opened ${await seedDemoCases(database.db, encryption)} fictitious demo cases.`);
      }
    }
    const jobs = new JobQueue(database.pool);
    const deps: AppDeps = { db: database.db, pool: database.pool, jobs, config, encryption, offices: new OfficeDirectory(database.db), matchIndex: new PersonMatchIndex(database.db, log), webRoot: options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot, version: VERSION };
    const app = await buildApp(deps, { logger: options.logger ?? true });
    jobs.log = app.log;
    await registerRegistryWorkers(deps);
    await registerMatchWorkers(deps);
    await jobs.start();
    // Uploads interrupted by a crash leave temporary files behind: clear them.
    void attachmentStore(config).sweepTemp().catch(() => undefined);
    // The duplicate check's index of everyone registered loads in the background; until then the exact rules serve.
    void deps.matchIndex?.start();
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const purge = setInterval(() => void purgeExpiredSessions(database.db).catch(() => undefined), 10 * 60 * 1000);
    purge.unref();
    // Chains committed audit events (writers only insert them): within about 200 ms of their commit.
    let linkerLoggedAt = 0;
    const linker = startAuditLinker(database.db, 200, (error) => {
      // It retries every 200 ms: say so once a minute, not five times a second.
      if (Date.now() - linkerLoggedAt < 60_000) return;
      linkerLoggedAt = Date.now();
      app.log.error({ err: error }, 'audit linker failed; events stay queued and it retries');
    });
    let stopping: Promise<void> | null = null;
    return {
      app,
      database,
      url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
      demo,
      stop: () =>
        (stopping ??= (async () => {
          clearInterval(purge);
          await app.close(); // stops accepting, lets in-flight requests finish
          await jobs.stop(); // lets a running job finish (or roll back) within its grace time
          await linker.stop();
          await database.close(); // then the pool, then the embedded server
        })()),
    };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}
