/**
 * A worker thread that estimates u from random pairs of a table (train.ts estimateU), so that the main thread can
 * compare the training sessions' pairs meanwhile. Started through u-worker-entry.mjs by estimateUInWorker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Comparer } from './compare.ts';
import { type TableData } from './table.ts';
import { estimateU } from './train.ts';

const { table, options } = workerData as { table: TableData; options: Parameters<typeof estimateU>[1] };
parentPort!.postMessage(estimateU(new Comparer(table), options));
