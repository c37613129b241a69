import type { AppDeps } from '../../platform/http-types.ts';
import { MATCH_JOB, runMatchJob } from './match.job.ts';

/** The matching engine's background workers. */
export async function registerMatchWorkers(deps: AppDeps): Promise<void> {
  await deps.jobs.work(MATCH_JOB, async (data) => runMatchJob(deps, String(data.matchRunId)));
}
