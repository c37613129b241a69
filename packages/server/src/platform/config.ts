import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Database connections per server process: twice this machine's cores plus one (PostgreSQL's own rule of thumb for
 * a database on the same machine), at least 5. More connections than the cores can run do not add throughput, they
 * make every statement wait its turn on a core while holding locks and buffers: on 2 cores, name searches at 20
 * concurrent clients answered ~15 % more per second with 5 connections than with 10 (bench/RESULTS.md §4.6).
 */
const DEFAULT_POOL_SIZE = Math.max(5, 2 * os.availableParallelism() + 1);

/** Every environment variable Passage reads. README's configuration table mirrors this. */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  PASSAGE_DATA_DIR: z.string().default('./data'),
  PASSAGE_ENV: z.enum(['production', 'development', 'test']).optional(),
  NODE_ENV: z.string().optional(),
  PASSAGE_MASTER_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  PASSAGE_DEMO: z.enum(['true', 'false']).optional(),
  PASSAGE_PUBLIC_URL: z.string().url().optional(),
  PASSAGE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  PASSAGE_BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576),
  PASSAGE_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
  PASSAGE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(DEFAULT_POOL_SIZE),
  PASSAGE_BREAK_GLASS_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(240),
  PASSAGE_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(25 * 1024 * 1024),
  PASSAGE_CLAMD: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
});

/** Validated configuration. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  env: 'production' | 'development' | 'test';
  masterKey: Buffer | undefined;
  demo: boolean;
  publicUrl: string | undefined;
  trustProxy: boolean;
  bodyLimit: number;
  dbPoolSize: number;
  /** Sign-in attempts per client address per minute. */
  loginRateLimit: number;
  logLevel: string;
  /** How long break-glass access to a case lasts. */
  breakGlassMinutes: number;
  /** Largest case attachment accepted. */
  attachmentMaxBytes: number;
  /** clamd's address (host:port) for scanning attachments; none: attachments are stored as "not scanned". */
  clamd: string | undefined;
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined; allowHttp: boolean } | undefined;
}

/** Thrown with a readable list of every problem in the environment. */
export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const mode = e.PASSAGE_ENV ?? (e.NODE_ENV === 'production' ? 'production' : e.NODE_ENV === 'test' ? 'test' : 'development');
  if ((e.OIDC_ISSUER && !e.OIDC_CLIENT_ID) || (!e.OIDC_ISSUER && e.OIDC_CLIENT_ID)) {
    throw new ConfigError('Invalid configuration:\n  - OIDC_ISSUER and OIDC_CLIENT_ID must be set together');
  }
  if (mode === 'production' && !e.PASSAGE_MASTER_KEY) {
    throw new ConfigError('Invalid configuration:\n  - PASSAGE_MASTER_KEY is required in production (32 random bytes, base64)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.PASSAGE_DATA_DIR),
    env: mode,
    masterKey: e.PASSAGE_MASTER_KEY ? Buffer.from(e.PASSAGE_MASTER_KEY, 'base64') : undefined,
    demo: e.PASSAGE_DEMO ? e.PASSAGE_DEMO === 'true' : mode !== 'production',
    publicUrl: e.PASSAGE_PUBLIC_URL,
    trustProxy: e.PASSAGE_TRUST_PROXY === 'true',
    bodyLimit: e.PASSAGE_BODY_LIMIT,
    dbPoolSize: e.PASSAGE_DB_POOL_SIZE,
    loginRateLimit: e.PASSAGE_LOGIN_RATE_LIMIT,
    logLevel: e.LOG_LEVEL,
    breakGlassMinutes: e.PASSAGE_BREAK_GLASS_MINUTES,
    attachmentMaxBytes: e.PASSAGE_ATTACHMENT_MAX_BYTES,
    clamd: e.PASSAGE_CLAMD,
    oidc: e.OIDC_ISSUER && e.OIDC_CLIENT_ID
      ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, allowHttp: e.OIDC_ALLOW_HTTP === 'true' }
      : undefined,
  };
}
