export * from './schema.ts';
export * from './connect.ts';
export * from './migrate.ts';
export * from './data-lock.ts';
export { EmbeddedPostgres, freePort } from './embedded.ts';
