// Worker threads do not inherit tsx's loader (see worker-entry.mjs): register it, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./u-worker.ts');
