import type { AppDeps } from '../../platform/http-types.ts';
import { IMPORT_JOB, runImportJob } from './import.job.ts';

/** The registry's background workers. */
export async function registerRegistryWorkers(deps: AppDeps): Promise<void> {
  await deps.jobs.work(IMPORT_JOB, async (data) => runImportJob(deps, String(data.importJobId)));
}
