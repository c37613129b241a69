/** The anonymised counter-trafficking publication (CTDC format, k-anonymised). */
export * from './ctdc-export.ts';
