import type { Redis } from "../bus/redis.ts";
import { createRedisMemory } from "../bus/redis-memory.ts";
import { createStreamTrimmer } from "../bus/trimmer.ts";
import type { Database } from "../db/database.ts";
import { OutboxRelay } from "../db/outbox/relay.ts";
import type { Check } from "../http/health.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import { streamKey, trimmedToKey } from "../topology/redis-keys.ts";
import { consumersOf, workerTopology, type WorkerName } from "../topology/topology.ts";
import { watchBusPressure, type BusPressure } from "./bus-pressure.ts";

const HOUR_MS = 3600 * 1000;

export interface WorkerOutboxOptions {
  name: WorkerName;
  config: { STREAM_PREFIX: string; STREAM_RETENTION_HOURS: number; REDIS_MEMORY_BUDGET: number };
  db: Database;
  redis: Redis;
  metrics: Metrics;
  logger: Logger;
}

/**
 * A worker's side of the event bus as a publisher, wired: the outbox relay (held back while
 * Redis is over its memory budget), the trimmer of the stream it publishes (what every group
 * the topology declares has acked), and the pressure they work under, as readiness checks,
 * metrics and a `BusPressure` for its use cases. A worker that publishes nothing still gets
 * the memory reading.
 */
export function workerOutbox(o: WorkerOutboxOptions): {
  relay: OutboxRelay | undefined;
  pressure: BusPressure;
  checks: Record<string, Check>;
  services: { name: string; start: () => void; stop: () => Promise<void> }[];
} {
  const { publishes } = workerTopology(o.name);
  const memory = createRedisMemory(o.redis, o.config.REDIS_MEMORY_BUDGET);
  const stream = publishes ? streamKey(o.config.STREAM_PREFIX, publishes) : undefined;
  const trimmedTo = publishes ? trimmedToKey(o.config.STREAM_PREFIX, publishes) : undefined;
  const relay = stream
    ? new OutboxRelay({
        db: o.db, redis: o.redis, stream, trimmedToKey: trimmedTo, logger: o.logger, memory,
        onPublished: (n) => o.metrics.outboxPublished.inc(n),
      })
    : undefined;
  if (relay) o.metrics.gauge("outbox_unpublished", "Outbox rows committed but not yet published", async (set) => set(await relay.backlog()));
  const groups = publishes ? consumersOf(publishes) : [];
  const { pressure, checks } = watchBusPressure({
    redis: o.redis, memory, metrics: o.metrics, relay,
    published: stream ? { stream, groups } : undefined,
  });
  const services = stream
    ? [createStreamTrimmer({
        redis: o.redis, stream, trimmedToKey: trimmedTo, groups, memory, logger: o.logger,
        retentionMs: o.config.STREAM_RETENTION_HOURS * HOUR_MS,
      })]
    : [];
  return { relay, pressure, checks, services };
}
