/**
 * A prepare worker thread: prepares one chunk of records received as packed columns and sends back its part of the
 * table (typed arrays transferred). Started through prepare-worker-entry.mjs by prepareInWorkers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { packPart, preparePacked, type PackedRecords } from './prepare-parallel.ts';

const { message, transfer } = packPart(preparePacked(workerData as PackedRecords));
parentPort!.postMessage(message, transfer);
