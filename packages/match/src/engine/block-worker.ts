/**
 * A blocking worker thread: builds the blocks of built-in rules for a table received in shared memory (without its
 * strings, which no built-in rule reads), so that the main thread can estimate parameters meanwhile. Started
 * through block-worker-entry.mjs; sends back the Blocking with its arrays transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildBlocking, type BlockingOptions } from './blocking.ts';
import { type TableData } from './table.ts';

const { table, options } = workerData as { table: TableData; options: BlockingOptions };
const b = buildBlocking(table, options);
const buffers = [b.blockOf.buffer, b.rank.buffer, ...b.rules.flatMap((r) => [r.order.buffer, r.blockStart.buffer, r.capped.buffer])] as ArrayBuffer[];
parentPort!.postMessage(b, buffers);
