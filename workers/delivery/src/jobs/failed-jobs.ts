import type { Job, Queue } from "bullmq";
import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { JobData } from "./job-data.ts";
import { countFailedJobs, deleteFailedJob, listFailedJobs, recordFailedJob } from "./failed-job-store.ts";

/** Failed jobs moved per sweep; a sweep runs again until the failed set is empty. */
const SWEEP_BATCH = 100;
/** Catches failed jobs whose move was cut short (a crash between the failure and the move). */
const SWEEP_EVERY_MS = 60_000;

/**
 * Moves confirmation jobs that exhausted their attempts out of Redis into delivery's
 * `failed_jobs` table, so Redis holds no ever-growing failed set within its memory budget.
 * The row is written before the job is removed: a crash between the two leaves the job in
 * Redis, and the next sweep moves it again (the insert is idempotent by job id). The queue
 * board shows Redis only; the table is read by the readiness details, the
 * `confirmation_jobs{state="failed_in_database"}` gauge and `npm run failed-jobs`.
 */
export function createFailedJobs(o: { queue: Queue<JobData>; db: Database; logger: Logger }) {
  // Every job in BullMQ's failed set has no attempt left (retries wait in the delayed set).
  async function move(job: Job<JobData>) {
    await recordFailedJob(o.db, {
      jobId: String(job.id),
      name: job.name,
      data: job.data,
      reason: job.failedReason ?? "unknown",
      attemptsMade: job.attemptsMade,
      failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
    });
    // Another replica may have moved it already; the row is what matters.
    await job.remove().catch(() => undefined);
    o.logger.warn({ jobId: job.id, attemptsMade: job.attemptsMade, reason: job.failedReason }, "job exhausted its attempts: moved to failed_jobs");
  }

  let sweeper: ReturnType<typeof setInterval> | undefined;
  async function sweep(): Promise<number> {
    let moved = 0;
    for (;;) {
      const failed = (await o.queue.getFailed(0, SWEEP_BATCH - 1)).filter((j) => j !== undefined);
      for (const job of failed) await move(job);
      moved += failed.length;
      if (failed.length < SWEEP_BATCH) return moved;
    }
  }
  const sweepLogged = () => void sweep().catch((error) => o.logger.warn({ err: error }, "moving failed jobs failed"));

  return {
    sweep,
    startSweeping() {
      sweepLogged();
      sweeper = setInterval(sweepLogged, SWEEP_EVERY_MS);
    },
    stopSweeping: () => clearInterval(sweeper),
    /** On the worker's `failed` event: only a job with no attempt left leaves Redis. */
    async onFailed(job: Job<JobData> | undefined) {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) await move(job);
    },
    /** Adds the recorded jobs (all, or those ids) back to the queue with fresh attempts. */
    async retry(jobIds?: string[]): Promise<number> {
      const jobs = await listFailedJobs(o.db, jobIds);
      for (const job of jobs) {
        await o.queue.add(job.name, job.data as JobData, { jobId: job.jobId });
        await deleteFailedJob(o.db, job.jobId);
      }
      return jobs.length;
    },
    count: () => countFailedJobs(o.db),
  };
}
export type FailedJobs = ReturnType<typeof createFailedJobs>;
