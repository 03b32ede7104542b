import { connectRedis } from "@rentalnang/shared/bus/redis";
import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createConfirmations } from "./confirmations/confirmations.ts";
import { createDeliveryEventHandler } from "./events/handlers.ts";
import { createConfirmationQueue } from "./jobs/confirmation-queue.ts";
import { migrations } from "./migrations.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "delivery",
  config,
  migrations,
  publishes: "delivery",
  consumes: ["payment", "rental"],
  build: ({ db, health, logger, metrics, publishSoon }) => {
    if (config.FAULT_JOB_FAILURES > 0) logger.warn({ failures: config.FAULT_JOB_FAILURES }, "FAULT: every job fails its first attempts");
    const confirmations = createConfirmations(db, publishSoon);
    const queue = createConfirmationQueue({
      connection: () => connectRedis(config.REDIS_URL, "bullmq", "delivery"),
      prefix: `${config.STREAM_PREFIX}:bull`,
      attempts: config.JOB_ATTEMPTS,
      backoffMs: config.JOB_BACKOFF_MS,
      concurrency: config.JOB_CONCURRENCY,
      confirmations,
      logger,
      failFirstAttempts: config.FAULT_JOB_FAILURES,
    });
    metrics.gauge("confirmation_jobs", "Confirmation-request jobs by state", async (set) => {
      for (const [state, n] of Object.entries(await queue.counts())) set(n, { state });
    }, ["state"]);
    return {
      app: createApp({
        db, confirmations, queues: [queue.queue], health, logger, metrics,
        board: { user: config.BOARD_USER, password: config.BOARD_PASSWORD },
      }),
      handle: createDeliveryEventHandler(db, queue, publishSoon),
      checks: { queue: async () => ({ jobs: await queue.counts() }) },
      services: [{ name: "confirmation-queue", start: () => queue.start(), stop: () => queue.stop() }],
    };
  },
});
