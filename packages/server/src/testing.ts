import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { ROLES, type Role } from '@passage/domain';
import { buildApp, type PassageApp } from './app.ts';
import { loadConfig, type Config } from './platform/config.ts';
import { EncryptionService } from './platform/encryption.ts';
import type { AppDeps } from './platform/http-types.ts';
import { JobQueue } from './platform/jobs.ts';
import { registerRegistryWorkers } from './modules/registry/registry.jobs.ts';
import { PersonMatchIndex } from './modules/match/person-index.ts';
import { registerMatchWorkers } from './modules/match/match.jobs.ts';
import { OfficeDirectory } from './platform/offices-directory.ts';
import { createSession } from './platform/sessions.ts';
import { seedDemo, type DemoCredentials } from './seed/demo.ts';

/** A signed-in client for `app.inject`. */
export interface TestClient {
  userId: string;
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing JSON request. */
  headers: Record<string, string>;
}

/** An app on a fresh, migrated, demo-seeded database. */
export interface TestApp {
  app: PassageApp;
  deps: AppDeps;
  database: TestDatabase;
  demo: DemoCredentials;
  /** Signs in (bypassing password and MFA) as the demo account holding `role`. */
  as(role: Role): Promise<TestClient>;
  /** Signs in as any user id. */
  asUser(userId: string): Promise<TestClient>;
  /** JSON request helper. */
  request(method: string, url: string, client?: TestClient | null, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Test configuration: loopback, random master key, demo on, nothing from the developer's environment leaks in. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ PASSAGE_ENV: 'test', LOG_LEVEL: 'silent', PASSAGE_DATA_DIR: '/nonexistent-passage-data' }), masterKey: crypto.randomBytes(32), ...overrides };
}

/** Builds the app on a fresh database. Close it in `after()`. */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(overrides);
  const encryption = await EncryptionService.open(database.db, config.masterKey!);
  const demo = (await seedDemo(database.db, encryption, { onlyIfEmpty: false }))!;
  const jobs = new JobQueue(database.pool);
  const deps: AppDeps = { db: database.db, pool: database.pool, jobs, config, encryption, offices: new OfficeDirectory(database.db), matchIndex: new PersonMatchIndex(database.db), webRoot: null, version: 'test' };
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  // Workers run in the test's process; pg-boss starts only when a test queues a job.
  await registerRegistryWorkers(deps);
  await registerMatchWorkers(deps);

  const asUser = async (userId: string): Promise<TestClient> => {
    const { token, csrfToken } = await createSession(database.db, userId, 'full');
    const cookie = `passage_session=${token}`;
    return { userId, cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
  };
  const idOf = async (role: Role) =>
    (await database.db.selectFrom('app_user').select('id').where('email', '=', `${role.replace(/_/g, '.')}@demo.passage.invalid`).executeTakeFirstOrThrow()).id;

  return {
    app,
    deps,
    database,
    demo,
    as: async (role) => asUser(await idOf(role)),
    asUser,
    request: (method, url, client, body) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: client ? (method === 'GET' ? { cookie: client.cookie } : client.headers) : method === 'GET' ? {} : { 'content-type': 'application/json' },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : method === 'GET' ? {} : { payload: '{}' }),
      }),
    close: async () => {
      await app.close();
      await jobs.stop();
      await database.close();
    },
  };
}

/** Every role, for tables of tests. */
export const ALL_ROLES: readonly Role[] = ROLES;
