/**
 * `npm run failed-jobs -- list|retry [JOB_ID ...]`
 *
 *   list    print the confirmation jobs that exhausted their attempts
 *   retry   add them back to the queue with fresh attempts (all, or the job ids given)
 *
 * Such jobs leave Redis for delivery's `failed_jobs` table (workers/delivery/src/jobs/
 * failed-jobs.ts), so the queue board no longer shows them: this command and delivery's
 * readiness details (`queue.jobs.failed_in_database`) do. Settings: delivery's own (REDIS_URL,
 * STREAM_PREFIX, JOB_ATTEMPTS …); DATABASE_URL names its database, else DELIVERY_DATABASE_URL
 * or where `npm start` puts it (DATA_DIR).
 */
import { parseCommand, UsageError } from "@rentalnang/shared/cli/command";
import { openExistingDatabase } from "@rentalnang/shared/cli/operator-database";
import { connectOperatorRedis } from "@rentalnang/shared/cli/operator-redis";
import { workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createLogger } from "@rentalnang/shared/log/logger";
import { queuePrefix } from "@rentalnang/shared/topology/redis-keys";
import { readConfig } from "../workers/delivery/src/config.ts";
import { createRequestDeliveries } from "../workers/delivery/src/deliveries/request-delivery.ts";
import { createConfirmationQueue } from "../workers/delivery/src/jobs/confirmation-queue.ts";
import { listFailedJobs } from "../workers/delivery/src/jobs/failed-job-store.ts";

const NAME = "failed-jobs";
const { positionals } = parseCommand({
  name: NAME,
  summary: "Lists the confirmation jobs that exhausted their attempts (kept in delivery's database), or puts them back on the queue.",
  usage: "list|retry [JOB_ID ...]",
  flags: {},
  notes: [
    "settings: delivery's own (REDIS_URL, default the local Redis with npm start's password; STREAM_PREFIX; JOB_ATTEMPTS ...);\n" +
      "DATABASE_URL names delivery's database, else DELIVERY_DATABASE_URL, else DATA_DIR/delivery.db as npm start lays it out.",
  ],
  examples: ["npm run failed-jobs -- list", "npm run failed-jobs -- retry", "npm run failed-jobs -- retry 42 43"],
});
const [command, ...ids] = positionals;
if (command !== "list" && command !== "retry") throw new UsageError(`the first argument must be list or retry (got ${JSON.stringify(command ?? "")})`);
const databaseUrl = process.env.DATABASE_URL || configOrExit(() => workerDatabaseUrls()).delivery;
const config = configOrExit(() => readConfig({ ...withLocalRedis(), DATABASE_URL: databaseUrl }));
const db = await openExistingDatabase(NAME, "delivery", config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
// Never started: only its queue (with the worker's job options) and its failed jobs are used.
// BullMQ never closes a connection it was handed: this command closes it, or it never exits.
const redis = await connectOperatorRedis(NAME, config.REDIS_URL, config.STREAM_PREFIX, "bullmq");
const queue = createConfirmationQueue({
  connection: () => redis,
  db,
  prefix: queuePrefix(config.STREAM_PREFIX),
  attempts: config.JOB_ATTEMPTS,
  backoffMs: config.JOB_BACKOFF_MS,
  concurrency: 1,
  requestDeliveries: createRequestDeliveries({ db, publishSoon: () => {} }),
  logger: createLogger("failed-jobs", "warn"),
});
try {
  if (command === "list") {
    const jobs = await listFailedJobs(db, ids.length > 0 ? ids : undefined);
    if (jobs.length === 0) console.log("no failed jobs");
    for (const j of jobs) console.log(`${j.jobId}  ${j.name}  after ${j.attemptsMade} attempts at ${j.failedAt}\n    reason: ${j.reason}\n    data:   ${JSON.stringify(j.data)}`);
  } else {
    console.log(`retried ${await queue.failedJobs.retry(ids.length > 0 ? ids : undefined)} failed job(s)`);
  }
} finally {
  await queue.stop();
  redis.disconnect();
  db.close();
}
