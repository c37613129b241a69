/**
 * A scoring worker thread: receives the prepared table, parameters and blocks once (typed arrays in shared
 * memory), then scores task after task and sends back the pairs it kept. Started through worker-entry.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scoreTasks, scorerFor, type ScoreTask, type ScoringContext } from './score-pairs.ts';

const ctx = workerData as ScoringContext;
const scorer = scorerFor(ctx);
parentPort!.on('message', (message: { id: number; tasks: ScoreTask[] }) => {
  const result = scoreTasks(scorer, ctx.blocking, message.tasks, ctx.minWeight).done();
  parentPort!.postMessage({ id: message.id, ...result }, [result.i.buffer as ArrayBuffer, result.j.buffer as ArrayBuffer, result.weight.buffer as ArrayBuffer]);
});
parentPort!.postMessage({ ready: true });
