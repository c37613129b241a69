import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '@passage/db';
import type { Config } from './config.ts';
import type { EncryptionService } from './encryption.ts';
import type { JobQueue } from './jobs.ts';
import type { OfficeDirectory } from './offices-directory.ts';
import type { RoutePolicy } from './policy.ts';
import type { ActiveSession } from './sessions.ts';
import type { PersonMatchIndex } from '../modules/match/person-index.ts';

/** What route modules get: the services of the running platform. */
export interface AppDeps {
  db: Kysely<Database>;
  /** The pool under `db`, for what Kysely does not do (COPY, the job queue). */
  pool: pg.Pool;
  /** Background jobs (pg-boss). */
  jobs: JobQueue;
  config: Config;
  encryption: EncryptionService;
  offices: OfficeDirectory;
  /** The matching engine's index of the registry, for the duplicate check (loads in the background). */
  matchIndex?: PersonMatchIndex;
  /** Where the built web app lives; null to serve no web app. */
  webRoot: string | null;
  version: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session, or null. Set before any handler runs. */
    auth: ActiveSession | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route. Every /api route must declare one: routes without are refused at start-up. */
    policy?: RoutePolicy;
  }
}
