import { PgBoss } from 'pg-boss';
import type pg from 'pg';

/** A background job's handler: gets the job's data; throwing fails the job (jobs are not retried: handlers record their own outcome). */
export type JobHandler = (data: Record<string, unknown>, jobId: string) => Promise<void>;

/** Where the queue reports (pino's logger fits). */
export interface JobLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const QUEUE_OPTIONS = { retryLimit: 0, expireInSeconds: 6 * 3600 };

/**
 * The one background-job queue: pg-boss on the same PostgreSQL (its own `pgboss` schema), over the
 * server's connection pool. Jobs survive restarts; any process that calls `work` runs them, so
 * workers can move to processes of their own when one machine is not enough. pg-boss starts on the
 * first `start()` or `send()`, so a process that never queues a job does not pay for it.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly handlers = new Map<string, JobHandler>();
  private starting: Promise<void> | null = null;
  private stopped = false;
  log: JobLog | null = null;

  constructor(pool: pg.Pool) {
    this.boss = new PgBoss({ db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) }, schedule: false, supervise: true });
    this.boss.on('error', (error: Error) => this.log?.error({ err: error }, 'job queue error'));
  }

  /** Starts pg-boss (installing its schema the first time) and the workers registered so far. */
  start(): Promise<void> {
    this.starting ??= (async () => {
      await this.boss.start();
      for (const [name, handler] of this.handlers) await this.listen(name, handler);
    })();
    return this.starting;
  }

  /** Runs jobs of this name in this process, one at a time. */
  async work(name: string, handler: JobHandler): Promise<void> {
    this.handlers.set(name, handler);
    if (this.starting) {
      await this.starting;
      await this.listen(name, handler);
    }
  }

  private async listen(name: string, handler: JobHandler): Promise<void> {
    await this.boss.createQueue(name, QUEUE_OPTIONS);
    await this.boss.work<Record<string, unknown>>(name, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        this.log?.info({ job: name, jobId: job.id }, 'job started');
        try {
          await handler(job.data, job.id);
          this.log?.info({ job: name, jobId: job.id }, 'job finished');
        } catch (error) {
          this.log?.error({ job: name, jobId: job.id, err: error }, 'job failed');
          throw error;
        }
      }
    });
  }

  /** Queues a job; returns its id. */
  async send(name: string, data: Record<string, unknown>): Promise<string> {
    await this.start();
    await this.boss.createQueue(name, QUEUE_OPTIONS);
    const id = await this.boss.send(name, data, { retryLimit: 0 });
    if (!id) throw new Error(`job ${name} was not queued`);
    return id;
  }

  /** Stops taking jobs and waits (up to 10 s) for running ones to finish. Safe to call twice. */
  async stop(): Promise<void> {
    if (!this.starting || this.stopped) return;
    this.stopped = true;
    await this.starting.catch(() => undefined);
    await this.boss.stop({ graceful: true, timeout: 10_000, close: false });
  }
}
