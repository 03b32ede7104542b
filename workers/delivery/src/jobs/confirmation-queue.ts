import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "@rentalnang/shared/bus/redis";
import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { withLogContext } from "@rentalnang/shared/log/context";
import { topology } from "@rentalnang/shared/topology/topology";
import type { RequestDeliveries, RequestOutcome } from "../deliveries/request-delivery.ts";
import type { JobData } from "./job-data.ts";
import { createFailedJobs, type FailedJobs } from "./failed-jobs.ts";

export const QUEUE_NAME = topology.workers.delivery.queues.confirmationRequests;

/**
 * Completed jobs are kept an hour, at most 1,000, for the board. A job id found taken saves
 * a run, nothing more: the unique rental_id of `deliveries` is what keeps a rental to one
 * request when an event is redelivered after its completed job was removed.
 */
const KEEP_COMPLETED = { age: 3600, count: 1_000 };
const BACKOFF_JITTER = 0.5;
/** How long `close()` may wait for running jobs before shutdown moves on. */
const CLOSE_DEADLINE_MS = 5_000;
/**
 * A job's lock; a process that dies mid-job stops renewing it, and the stalled check hands
 * the job to another worker within about LOCK + STALLED ms. Jobs take milliseconds, so both
 * can be short: a crashed delivery's jobs resume within seconds, not BullMQ's default 30 s.
 */
const LOCK_DURATION_MS = 5_000;
const STALLED_INTERVAL_MS = 2_000;
const JOB_NAME = "request-confirmation";
/** A job exists only once the attempt made at once failed: its first run is attempt 2. */
const FIRST_JOB_ATTEMPT = 2;

export interface QueueOptions {
  connection: () => Redis;
  /** Where jobs that exhausted their attempts are kept (`failed_jobs`). */
  db: Database;
  prefix: string;
  attempts: number;
  backoffMs: number;
  concurrency: number;
  /** The work: requests made in one transaction (a single request is a batch of one). */
  requestDeliveries: RequestDeliveries;
  logger: Logger;
  /** Test-only: the first N attempts of every request fail, the one made at once included (FAULT_JOB_FAILURES). */
  failFirstAttempts?: number;
  /** Test-only: every attempt, the one made at once included, waits this long before its work (FAULT_JOB_DELAY_MS). */
  delayEachAttemptMs?: number;
}

/**
 * Turns PaymentApproved into a confirmation request: the first attempt is made at once, by
 * the event's consumer (`request`; `requestAll` makes a batch's in one transaction); only
 * when it fails does the work become a BullMQ job, for the retries (attempts, exponential
 * backoff with jitter). A job that exhausts its attempts
 * moves into delivery's `failed_jobs` table (failed-jobs.ts), retried with `npm run
 * failed-jobs`. Why not a job for every event: a job costs three BullMQ scripts in Redis and
 * their round trips, more than the request itself, and almost every first attempt succeeds.
 * The processor runs in-process: Bun has no sandboxed processors.
 */
export function createConfirmationQueue(o: QueueOptions) {
  const queue = new Queue<JobData>(QUEUE_NAME, {
    connection: o.connection(),
    prefix: o.prefix,
    defaultJobOptions: {
      attempts: o.attempts,
      backoff: { type: "exponential", delay: o.backoffMs, jitter: BACKOFF_JITTER },
      removeOnComplete: KEEP_COMPLETED,
      // Moved to the database by failed-jobs.ts, never dropped unrecorded.
      removeOnFail: false,
    },
  });
  const failedJobs = createFailedJobs({ queue, db: o.db, logger: o.logger });
  let worker: Worker<JobData> | undefined;

  /** Queues the work as a job. Idempotent: the job id is the event id, so a redelivered event adds nothing. */
  async function enqueue(data: JobData) {
    await queue.add(JOB_NAME, data, { jobId: data.eventId });
  }

  const { request, requestAll } = firstAttempts(o, enqueue);

  return {
    queue,
    failedJobs,
    enqueue,
    request,
    requestAll,
    start() {
      worker = startWorker(o, failedJobs);
    },
    async stop() {
      failedJobs.stopSweeping();
      const closing = worker?.close() ?? Promise.resolve();
      // worker.close() has no deadline of its own.
      await Promise.race([closing, Bun.sleep(CLOSE_DEADLINE_MS)]);
      await queue.close();
    },
    /** Redis's counts, and the jobs that exhausted their attempts, kept in the database. */
    counts: async () => ({
      ...(await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed")),
      failed_in_database: await failedJobs.count(),
    }),
  };
}
export type ConfirmationQueue = ReturnType<typeof createConfirmationQueue>;

/**
 * One attempt at the work of one or several requests, in one transaction; attempt 1 is the
 * one made at once, a job's runs are 2 and on.
 */
async function attempt(o: QueueOptions, all: JobData[], n: number): Promise<RequestOutcome[]> {
  await testFaults(o, n);
  return o.requestDeliveries(all.map(({ eventId, correlationId, ...input }) => ({ input, cause: { correlationId, causationId: eventId } })));
}

/** The attempts made at once, by the event's consumer; a failed one becomes a job (`enqueue`). */
function firstAttempts(o: QueueOptions, enqueue: (data: JobData) => Promise<void>) {
  /**
   * Makes the request at once; if that attempt fails, queues the job that retries it. A
   * process that dies in between leaves the event unacked, so it comes again and the
   * attempt is repeated (the request is made once per rental whatever the repeats).
   * @throws only when the job could not be queued (Redis away): the event stays pending.
   */
  async function request(data: JobData) {
    try {
      await attempt(o, [data], 1);
      return;
    } catch (error) {
      o.logger.warn({ err: error, rentalId: data.rentalId }, "confirmation request failed; a job retries it");
    }
    await enqueue(data);
  }

  /**
   * A batch's requests at once, in one transaction; if that fails, each is made as `request`
   * makes it (at once, or else by a job), so one bad request costs the others only a retry.
   */
  async function requestAll(all: JobData[]) {
    if (all.length > 1) {
      try {
        await attempt(o, all, 1);
        return;
      } catch (error) {
        o.logger.warn({ err: error, requests: all.length }, "confirmation requests failed together; made one by one");
      }
    }
    for (const data of all) await request(data);
  }

  return { request, requestAll };
}

/** The in-process worker that runs the queued jobs (the retries), and the sweep of failed ones. */
function startWorker(o: QueueOptions, failedJobs: FailedJobs): Worker<JobData> {
  const run = async (job: Job<JobData>) => {
    const [outcome] = await attempt(o, [job.data], job.attemptsMade + FIRST_JOB_ATTEMPT);
    o.logger.info({ rentalId: job.data.rentalId, outcome }, "confirmation request job done");
    return outcome;
  };
  const worker = new Worker<JobData>(
    QUEUE_NAME,
    (job) => withLogContext({ correlationId: job.data.correlationId, eventId: job.data.eventId, jobId: job.id }, () => run(job)),
    { connection: o.connection(), prefix: o.prefix, concurrency: o.concurrency, lockDuration: LOCK_DURATION_MS, stalledInterval: STALLED_INTERVAL_MS },
  );
  logFailures(worker, failedJobs, o.logger);
  failedJobs.startSweeping();
  return worker;
}

/** Logs each failed attempt; a job with no attempt left moves to the database. */
function logFailures(worker: Worker<JobData>, failedJobs: FailedJobs, logger: Logger) {
  worker.on("failed", (job, error) => {
    logger.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, "confirmation request job failed");
    failedJobs.onFailed(job).catch((moveError) => logger.warn({ err: moveError }, "moving a failed job failed"));
  });
  worker.on("error", (error) => logger.warn({ err: error }, "queue worker error"));
}

/** The test-only faults attempt `n` meets before its work; both are off unless a test sets them. */
async function testFaults(o: QueueOptions, n: number) {
  if (o.failFirstAttempts && n <= o.failFirstAttempts) {
    throw new Error(`FAULT_JOB_FAILURES: attempt ${n} fails on purpose`);
  }
  if (o.delayEachAttemptMs) {
    o.logger.warn({ delayMs: o.delayEachAttemptMs }, "FAULT_JOB_DELAY_MS: the job waits before its work");
    await Bun.sleep(o.delayEachAttemptMs);
  }
}
