export * from './rules.ts';
export * from './case-type.ts';
export * from './migrant-assistance.ts';
export * from './counter-trafficking.ts';
export * from './types.ts';
export * from './api.ts';
