import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { queuePrefix } from "@rentalnang/shared/topology/redis-keys";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createDeliveryUseCases } from "./deliveries/delivery-use-cases.ts";
import { createEventHandler } from "./events/event-handler.ts";
import { createConfirmationQueue } from "./jobs/confirmation-queue.ts";
import { migrations } from "./migrations.ts";
import { deliveryFacts } from "./deliveries/delivery-facts.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "delivery",
  config,
  migrations,
  facts: deliveryFacts,
  tombstones: ["cancelled_rentals"],
  build: ({ db, health, logger, metrics, publishSoon }) => {
    if (config.FAULT_JOB_FAILURES > 0) logger.warn({ failures: config.FAULT_JOB_FAILURES }, "FAULT: every job fails its first attempts");
    if (config.FAULT_JOB_DELAY_MS > 0) logger.warn({ delayMs: config.FAULT_JOB_DELAY_MS }, "FAULT: every job attempt is delayed");
    const useCases = createDeliveryUseCases({ db, publishSoon });
    const queue = createConfirmationQueue({
      connection: () => connectRedis(config.REDIS_URL, "bullmq", "delivery"),
      db,
      prefix: queuePrefix(config.STREAM_PREFIX),
      attempts: config.JOB_ATTEMPTS,
      backoffMs: config.JOB_BACKOFF_MS,
      concurrency: config.JOB_CONCURRENCY,
      requestDeliveries: useCases.requestDeliveries,
      logger,
      failFirstAttempts: config.FAULT_JOB_FAILURES,
      delayEachAttemptMs: config.FAULT_JOB_DELAY_MS,
    });
    metrics.gauge("confirmation_jobs", "Confirmation-request jobs by state", async (set) => {
      for (const [state, n] of Object.entries(await queue.counts())) set(n, { state });
    }, ["state"]);
    return {
      app: createApp({
        db, useCases, queues: [queue.queue], health, logger, metrics, auth: authenticationFrom(config),
        board: { user: config.BOARD_USER, password: config.BOARD_PASSWORD },
      }),
      ...createEventHandler({ db, queue, publishSoon }),
      checks: { queue: async () => ({ jobs: await queue.counts() }) },
      services: [{ name: "confirmation-queue", start: () => queue.start(), stop: () => queue.stop() }],
    };
  },
});
