// Worker threads do not inherit tsx's loader (and `execArgv: ['--import', 'tsx']` does not load it in a
// worker on Node 20), so the worker registers it itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
