export * from './platform/roles.ts';
export * from './platform/errors.ts';
export * from './platform/password-rules.ts';
export * from './platform/offices.ts';
export * from './registry/model.ts';
export * from './registry/api.ts';
export * from './registry/import-row.ts';
export * from './match/api.ts';
