import { hostname } from "node:os";
import type { Hono } from "hono";
import { StreamConsumer, type BatchHandler, type EventHandler } from "../bus/consumer.ts";
import { createStreamTrimmer } from "../bus/trimmer.ts";
import { connectRedis, type Redis } from "../bus/redis.ts";
import { ConfigError } from "../config/load-config.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { messagingMigration, migrate, type Migration } from "../db/migrate.ts";
import { createRetention } from "../db/retention.ts";
import { OutboxRelay } from "../db/outbox/relay.ts";
import { deadLetterKey, streamKey, type Source } from "../events/streams.ts";
import { Health, type Check } from "../http/health.ts";
import { serve } from "../http/serve.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { Metrics } from "../observability/metrics.ts";
import { EXIT_CONFIG } from "./exit-codes.ts";
import { onShutdown, type ShutdownStep } from "./shutdown.ts";

/** The settings every domain worker has (`workerFields` in shared/src/config/fields.ts). */
export interface WorkerConfig {
  PORT: number;
  REDIS_URL: string;
  DATABASE_URL: string;
  DATABASE_AUTH_TOKEN?: string | undefined;
  STREAM_PREFIX: string;
  LOG_LEVEL: string;
  SHUTDOWN_TIMEOUT_MS: number;
  READINESS_DRAIN_MS: number;
  STREAM_RETENTION_HOURS: number;
  HOSTNAME?: string | undefined;
}

/** What a worker's composition root gets to build its app and handlers from. */
export interface WorkerContext {
  logger: Logger;
  db: Database;
  redis: Redis;
  health: Health;
  metrics: Metrics;
  /** Wakes the outbox relay after a commit that wrote events. */
  publishSoon: () => void;
}

export interface WorkerParts {
  app: Hono<any>;
  /** Handles every event of the consumed streams (ack what it does not care about). */
  handle?: EventHandler;
  /** Optional: a whole batch at once (see StreamConsumer). */
  handleMany?: BatchHandler;
  checks?: Record<string, Check>;
  /** Started after the consumers, before readiness; stopped after the consumers. */
  services?: { name: string; start: () => Promise<void> | void; stop: () => Promise<void> | void }[];
}

export interface WorkerSpec<C extends WorkerConfig> {
  name: string;
  config: C;
  migrations: Migration[];
  /** The stream this worker's outbox publishes to. */
  publishes?: Source;
  /** The streams this worker's consumer group reads (the group is named after the worker). */
  consumes?: Source[];
  build: (ctx: WorkerContext) => WorkerParts | Promise<WorkerParts>;
}

/** Share of the shutdown deadline that in-flight HTTP requests get to finish. */
const HTTP_DRAIN_SHARE = 0.5;

/**
 * Runs a domain worker: database and migrations, Redis, outbox relay, consumer group, HTTP,
 * health, and the shutdown sequence of docs/architecture.md, 'Shutdown'. `main.ts` calls this and
 * nothing else calls it.
 */
export async function runWorker<C extends WorkerConfig>(spec: WorkerSpec<C>) {
  const { config, name } = spec;
  const logger = createLogger(name, config.LOG_LEVEL);
  const db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const applied = await migrate(db, spec.migrations);
  if (applied.length > 0) logger.info({ applied }, "migrations applied");

  const redis = connectRedis(config.REDIS_URL, "command", name);
  const metrics = new Metrics(name);
  const relay = spec.publishes
    ? new OutboxRelay({
        db, redis, stream: streamKey(config.STREAM_PREFIX, spec.publishes), logger,
        onPublished: (n) => metrics.outboxPublished.inc(n),
      })
    : undefined;
  const deadLetters = deadLetterKey(config.STREAM_PREFIX, name);
  if (relay) metrics.gauge("outbox_unpublished", "Outbox rows committed but not yet published", async (set) => set(await relay.backlog()));
  if (spec.consumes) metrics.gauge("dead_letters", "Entries in this consumer group's dead-letter stream", async (set) => set(await redis.xlen(deadLetters)));

  let consumer: StreamConsumer | undefined;
  const health = new Health({
    database: () => db.ping(),
    redis: async () => void (await redis.ping()),
    ...(spec.consumes
      ? {
          consumer: async () => {
            if (!consumer?.running) throw new Error("consumer is not running");
            return { group: name, deadLetters: await redis.xlen(deadLetters) };
          },
        }
      : {}),
    ...(relay ? { outbox: async () => ({ unpublished: await relay.backlog() }) } : {}),
  });
  const parts = await spec.build({ logger, db, redis, health, metrics, publishSoon: () => relay?.wake() });
  for (const [checkName, check] of Object.entries(parts.checks ?? {})) health.add(checkName, check);

  const http = serve(parts.app.fetch, config.PORT, logger);
  relay?.start();
  if (spec.consumes && parts.handle) {
    consumer = new StreamConsumer({
      redis,
      openBlocking: () => connectRedis(config.REDIS_URL, "blocking", name),
      streams: spec.consumes.map((s) => streamKey(config.STREAM_PREFIX, s)),
      group: name,
      consumer: config.HOSTNAME ?? hostname(),
      deadLetterStream: deadLetters,
      handle: parts.handle,
      handleMany: parts.handleMany,
      logger,
      observe: (outcome, type) => metrics.eventsHandled.inc({ group: name, type, outcome }),
    });
    await consumer.start();
  }
  const services = [
    ...(spec.publishes
      ? [createStreamTrimmer({
          redis, stream: streamKey(config.STREAM_PREFIX, spec.publishes),
          retentionMs: config.STREAM_RETENTION_HOURS * 3600 * 1000, logger,
        })]
      : []),
    ...(spec.migrations.includes(messagingMigration)
      ? [createRetention(db, logger, { outbox: spec.publishes !== undefined, inbox: spec.consumes !== undefined })]
      : []),
    ...(parts.services ?? []),
  ];
  for (const service of services) await service.start();
  health.markReady();
  logger.info("ready");

  const steps: ShutdownStep[] = [
    { name: "readiness", run: () => health.markDraining() },
    { name: "readiness-drain", run: () => Bun.sleep(config.READINESS_DRAIN_MS) },
    { name: "http", run: () => http.drain(config.SHUTDOWN_TIMEOUT_MS * HTTP_DRAIN_SHARE) },
    { name: "consumer", run: () => consumer?.stop() },
    ...[...services].reverse().map((s) => ({ name: s.name, run: s.stop })),
    { name: "outbox", run: () => relay?.stop() },
    { name: "redis", run: () => redis.quit().catch(() => redis.disconnect()) },
    { name: "database", run: () => db.close() },
  ];
  const shutdown = onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, steps);
  return { logger, db, redis, health, port: http.server.port, shutdown };
}


/** Reads config the way every main.ts does: a bad variable prints one line and exits 78. */
export function configOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`config error: ${error.message}`);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
}
