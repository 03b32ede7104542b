import { hostname } from "node:os";
import { StreamConsumer } from "../bus/consumer/consumer.ts";
import type { BatchHandler, EventHandler } from "../bus/consumer/handlers.ts";
import { connectRedis, isRedisUnavailable, type Redis } from "../bus/redis.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import type { Check } from "../http/health.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import { attemptsKey, deadLetterKey, streamKey } from "../topology/redis-keys.ts";
import type { StreamName } from "../topology/topology.ts";

/**
 * The errors that mean a dependency of a worker's handlers is away — its database or Redis —
 * rather than that the event fails: the consumer retries such an entry for as long as the
 * outage lasts, and reports itself degraded meanwhile.
 */
export const isDependencyAway = (error: unknown) => isDatabaseUnavailable(error) || isRedisUnavailable(error);

export interface WorkerConsumerOptions {
  /** The worker's name, which is also its consumer group's. */
  name: string;
  config: { STREAM_PREFIX: string; REDIS_URL: string; HOSTNAME?: string | undefined };
  /** The streams the group reads. */
  consumes: readonly StreamName[];
  redis: Redis;
  metrics: Metrics;
  logger: Logger;
}

/**
 * A worker's consumer group, wired: its readiness check (not running is unready; degraded is
 * reported but stays ready), its metrics (dead letters, seconds degraded), and the consumer
 * itself once the handlers exist.
 */
export function workerConsumer(o: WorkerConsumerOptions) {
  const { STREAM_PREFIX: prefix, REDIS_URL: redisUrl } = o.config;
  const deadLetters = deadLetterKey(prefix, o.name);
  let consumer: StreamConsumer | undefined;
  o.metrics.gauge("dead_letters", "Entries in this consumer group's dead-letter stream", async (set) => set(await o.redis.xlen(deadLetters)));
  o.metrics.counter(
    "consumer_degraded_seconds_total",
    "Seconds this process's consumer spent with its handlers waiting for a dependency that was away",
    (set) => set(consumer?.degradedSeconds() ?? 0),
  );
  const check: Check = async () => {
    if (!consumer?.running) throw new Error("consumer is not running");
    const degraded = consumer.degraded;
    const details = { group: o.name, deadLetters: await o.redis.xlen(deadLetters) };
    return degraded ? { ...details, degraded: true, since: degraded.since.toISOString(), reason: degraded.reason } : details;
  };
  async function start(handle: EventHandler, handleMany?: BatchHandler): Promise<void> {
    consumer = new StreamConsumer({
      redis: o.redis,
      openBlocking: () => connectRedis(redisUrl, "blocking", o.name),
      streams: o.consumes.map((s) => streamKey(prefix, s)),
      group: o.name,
      consumer: o.config.HOSTNAME ?? hostname(),
      deadLetterStream: deadLetters,
      attemptsKey: attemptsKey(prefix, o.name),
      isTransient: isDependencyAway,
      handle,
      handleMany,
      logger: o.logger,
      observe: (outcome, type) => o.metrics.eventsHandled.inc({ group: o.name, type, outcome }),
    });
    await consumer.start();
  }
  return { check, start, stop: async () => consumer?.stop() };
}
