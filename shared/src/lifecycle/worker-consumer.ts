import { StreamConsumer } from "../bus/consumer/consumer.ts";
import type { Accepted, BatchHandler, EventHandler } from "../bus/consumer/handlers.ts";
import { moveDeadLetters } from "../bus/dead-letter-mover.ts";
import { connectRedis, isRedisUnavailable, type Redis } from "../bus/redis.ts";
import { removeStaleConsumers } from "../bus/stale-consumers.ts";
import type { Database } from "../db/database.ts";
import { countStoredDeadLetters } from "../db/dead-letter-store.ts";
import { isDatabaseUnavailable } from "../db/errors.ts";
import type { Check } from "../http/health.ts";
import type { Logger } from "../log/logger.ts";
import type { Metrics } from "../observability/metrics.ts";
import { attemptsKey, deadLetterKey, streamKey } from "../topology/redis-keys.ts";
import type { StreamName } from "../topology/topology.ts";
import { consumerName } from "./consumer-name.ts";
import { periodic } from "./periodic.ts";

/**
 * The errors that mean a dependency of a worker's handlers is away — its database or Redis —
 * rather than that the event fails: the consumer retries such an entry for as long as the
 * outage lasts, and reports itself degraded meanwhile.
 */
export const isDependencyAway = (error: unknown) => isDatabaseUnavailable(error) || isRedisUnavailable(error);

/** How often the group's dead-letter stream is brought back under its cap. */
const DEAD_LETTER_EVERY_MS = 30_000;
/** A consumer name idle this long belongs to a process that is gone (a live one reads every few seconds). */
const STALE_CONSUMER_IDLE_MS = 6 * 3600_000;
const STALE_CONSUMER_EVERY_MS = 15 * 60_000;

export interface WorkerConsumerOptions {
  /** The worker's name, which is also its consumer group's. */
  name: string;
  config: { STREAM_PREFIX: string; REDIS_URL: string; DEAD_LETTER_STREAM_CAP: number; HOSTNAME?: string | undefined };
  /** The streams the group reads. */
  consumes: readonly StreamName[];
  redis: Redis;
  /** The worker's database: its `dead_letters` table (`deadLetterMigration`) takes letters beyond the cap. */
  db: Database;
  metrics: Metrics;
  logger: Logger;
  /** Tests shorten the housekeeping's schedule. */
  housekeeping?: { everyMs?: number; staleConsumerIdleMs?: number };
}

/**
 * A worker's consumer group, wired: its readiness check (not running is unready; degraded is
 * reported but stays ready), its metrics (dead letters, seconds degraded), the consumer
 * itself once the handlers exist, under a name of its own, and its housekeeping: dead letters
 * beyond the cap move to the database, names left by stopped processes leave the group.
 */
export function workerConsumer(o: WorkerConsumerOptions) {
  const { STREAM_PREFIX: prefix, REDIS_URL: redisUrl } = o.config;
  const deadLetters = deadLetterKey(prefix, o.name);
  const name = consumerName(o.config.HOSTNAME);
  const streams = o.consumes.map((s) => streamKey(prefix, s));
  let consumer: StreamConsumer | undefined;
  const stored = () => countStoredDeadLetters(o.db, o.name).catch(() => undefined);
  o.metrics.gauge("dead_letters", "Dead letters of this consumer group, on its stream and moved to the database", async (set) => {
    set(await o.redis.xlen(deadLetters), { place: "stream" });
    set((await stored()) ?? 0, { place: "database" });
  }, ["place"]);
  o.metrics.counter(
    "consumer_degraded_seconds_total",
    "Seconds this process's consumer spent with its handlers waiting for a dependency that was away",
    (set) => set(consumer?.degradedSeconds() ?? 0),
  );
  const check: Check = async () => {
    if (!consumer?.running) throw new Error("consumer is not running");
    const degraded = consumer.degraded;
    const [onStream, inDatabase] = await Promise.all([o.redis.xlen(deadLetters), stored()]);
    const details = { group: o.name, consumer: name, deadLetters: onStream + (inDatabase ?? 0), deadLettersInDatabase: inDatabase ?? null };
    return degraded ? { ...details, degraded: true, since: degraded.since.toISOString(), reason: degraded.reason } : details;
  };
  const housekeeping = housekeepingOf(o, { name, streams, deadLetters });
  async function start(handle: EventHandler, handleMany?: BatchHandler, accepts?: Accepted): Promise<void> {
    // A worker without the table would fail every move: refuse to start instead.
    await countStoredDeadLetters(o.db, o.name).catch((error) => {
      throw new Error(`the ${o.name} database has no dead_letters table: list deadLetterMigration among its migrations`, { cause: error });
    });
    consumer = new StreamConsumer({
      redis: o.redis,
      openBlocking: () => connectRedis(redisUrl, "blocking", o.name),
      streams,
      group: o.name,
      consumer: name,
      deadLetterStream: deadLetters,
      attemptsKey: attemptsKey(prefix, o.name),
      isTransient: isDependencyAway,
      handle,
      handleMany,
      accepts,
      logger: o.logger,
      observe: (outcome, type) => o.metrics.eventsHandled.inc({ group: o.name, type, outcome }),
    });
    await consumer.start();
    for (const service of housekeeping) service.start();
  }
  async function stop(): Promise<void> {
    for (const service of housekeeping) await service.stop();
    await consumer?.stop();
  }
  return { check, start, stop, name };
}

/** The periodic moves of dead letters beyond the cap, and removal of consumer names left behind. */
function housekeepingOf(o: WorkerConsumerOptions, own: { name: string; streams: string[]; deadLetters: string }) {
  const cap = o.config.DEAD_LETTER_STREAM_CAP;
  const idleMs = o.housekeeping?.staleConsumerIdleMs ?? STALE_CONSUMER_IDLE_MS;
  const moveRound = async () => {
    const moved = await moveDeadLetters({ redis: o.redis, db: o.db, stream: own.deadLetters, group: o.name, cap });
    if (moved > 0) o.logger.info({ moved, cap }, "dead letters beyond the stream's cap moved to the database");
  };
  const staleRound = async () => {
    for (const stream of own.streams) {
      const removed = await removeStaleConsumers(o.redis, stream, o.name, { idleMs, self: own.name });
      if (removed.length > 0) o.logger.info({ stream, removed }, "removed consumer names left by stopped processes");
    }
  };
  return [
    periodic("dead-letter-mover", o.housekeeping?.everyMs ?? DEAD_LETTER_EVERY_MS, moveRound, o.logger),
    periodic("stale-consumers", o.housekeeping?.everyMs ?? STALE_CONSUMER_EVERY_MS, staleRound, o.logger),
  ];
}
