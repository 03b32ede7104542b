import type { Hono } from "hono";
import type { Accepted, BatchHandler, EventHandler } from "../bus/consumer/handlers.ts";
import { connectRedis, type Redis } from "../bus/redis.ts";
import { ConfigError } from "../config/load-config.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { DEAD_LETTERS_PATH, deadLetterRoutes } from "../dead-letters/dead-letter-routes.ts";
import { INVARIANTS_PATH, type WorkerFactsSpec } from "../invariant-facts/facts.ts";
import { invariantRoutes } from "../invariant-facts/invariant-routes.ts";
import { messagingMigration, migrate, type Migration } from "../db/migrate.ts";
import { createRetention } from "../db/retention.ts";
import { Health, type Check } from "../http/health.ts";
import { serve } from "../http/serve.ts";
import { createLogger, type Logger } from "../log/logger.ts";
import { Metrics } from "../observability/metrics.ts";
import { workerTopology, type WorkerName } from "../topology/topology.ts";
import type { BusPressure } from "./bus-pressure.ts";
import { EXIT_CONFIG } from "./exit-codes.ts";
import { onShutdown, type ShutdownStep } from "./shutdown.ts";
import { workerConsumer } from "./worker-consumer.ts";
import { workerOutbox } from "./worker-outbox.ts";

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
  REDIS_MEMORY_BUDGET: number;
  DEAD_LETTER_STREAM_CAP: number;
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
  /** Redis memory against its budget and the outbox backlog, cached: cheap to ask per request. */
  pressure: BusPressure;
}

export interface WorkerParts {
  app: Hono<any>;
  /** Handles every event of the consumed streams (ack what it does not care about). */
  handle?: EventHandler;
  /** Optional: a whole batch at once (see StreamConsumer). */
  handleMany?: BatchHandler;
  /** Optional: the event types `handle` acts on; the others are acked without calling it. */
  accepts?: Accepted;
  checks?: Record<string, Check>;
  /** Started after the consumers, before readiness; stopped after the consumers. */
  services?: {
    name: string;
    start: () => Promise<void> | void;
    stop: () => Promise<void> | void;
    /** Optional: runs with the first shutdown step, before HTTP drains (to answer long-held requests at once). */
    drain?: () => void;
  }[];
}

export interface WorkerSpec<C extends WorkerConfig> {
  /** Its entry in the topology says which stream it publishes and which ones it reads. */
  name: WorkerName;
  config: C;
  migrations: Migration[];
  /** Its tombstone tables (rows with `cancelled_at`), trimmed by the retention service. */
  tombstones?: string[];
  /** Its tables of rows that expire (an `expires_at` column), trimmed by the retention service. */
  expiring?: string[];
  /** What it tells the operators' invariant check (its rows by rental, its own facts), served at /admin/invariants. */
  facts: WorkerFactsSpec<any, any>;
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
  const { publishes, consumes } = workerTopology(name);
  const logger = createLogger(name, config.LOG_LEVEL);
  const db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
  const applied = await migrate(db, spec.migrations);
  if (applied.length > 0) logger.info({ applied }, "migrations applied");

  const redis = connectRedis(config.REDIS_URL, "command", name);
  const metrics = new Metrics(name);
  const outbox = workerOutbox({ name, config, db, redis, metrics, logger });
  const relay = outbox.relay;
  const consumer = consumes ? workerConsumer({ name, config, consumes, redis, db, metrics, logger }) : undefined;
  const health = new Health({
    database: () => db.ping(),
    redis: async () => void (await redis.ping()),
    ...(consumer ? { consumer: consumer.check } : {}),
    ...outbox.checks,
  });
  const parts = await spec.build({ logger, db, redis, health, metrics, publishSoon: () => relay?.wake(), pressure: outbox.pressure });
  for (const [checkName, check] of Object.entries(parts.checks ?? {})) health.add(checkName, check);
  // Operators only: the app's own authenticate runs first (it covers every route after the frame's).
  if (consumer) parts.app.route(DEAD_LETTERS_PATH, deadLetterRoutes({ redis, db, prefix: config.STREAM_PREFIX, group: name }));
  parts.app.route(INVARIANTS_PATH, invariantRoutes({ worker: name, spec: spec.facts, db, redis, prefix: config.STREAM_PREFIX }));

  const http = serve(parts.app.fetch, config.PORT, logger);
  relay?.start();
  if (consumer && parts.handle) await consumer.start(parts.handle, parts.handleMany, parts.accepts);
  const services: NonNullable<WorkerParts["services"]> = [
    ...outbox.services,
    ...(spec.migrations.includes(messagingMigration)
      ? [createRetention(db, logger, {
          outbox: publishes !== undefined, inbox: consumes !== undefined, tombstones: spec.tombstones, expiring: spec.expiring,
        })]
      : []),
    ...(parts.services ?? []),
  ];
  for (const service of services) await service.start();
  health.markReady();
  logger.info("ready");

  const steps: ShutdownStep[] = [
    { name: "readiness", run: () => { health.markDraining(); for (const s of services) s.drain?.(); } },
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
