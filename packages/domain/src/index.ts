export * from './platform/roles.ts';
export * from './platform/errors.ts';
export * from './platform/password-rules.ts';
export * from './platform/offices.ts';
