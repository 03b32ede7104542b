import { beforeEach } from "bun:test";
import { isDatabaseUnavailable } from "../../db/errors.ts";
import { envelopeFor } from "../../db/outbox.ts";
import type { Envelope } from "../../events/envelope.ts";
import { createLogger } from "../../log/logger.ts";
import { cleanupEach } from "../../testing/cleanup.ts";
import { testPrefix, testRedis } from "../../testing/harness.ts";
import { attemptsKey, deadLetterKey, streamKey } from "../../topology/redis-keys.ts";
import { StreamConsumer, type ConsumerOptions } from "./consumer.ts";
import { publishAll } from "../publisher.ts";
import { connectRedis, isRedisUnavailable, type Redis } from "../redis.ts";

/**
 * What the consumer's integration tests share: the run's redis-server, a fresh STREAM_PREFIX
 * per test, and consumers that are stopped (or deliberately abandoned) after each test.
 * Call `useConsumerFixture()` at the top of a test file.
 */
export interface ConsumerFixture {
  redis: Redis;
  url: string;
  prefix: string;
  stream: string;
  dead: string;
  consumer(handle: ConsumerOptions["handle"], extra?: Partial<ConsumerOptions>): StreamConsumer;
  /** Forgets a consumer without stopping it cleanly: what a killed process leaves behind. */
  abandon(c: StreamConsumer): void;
  /** Forgets a consumer the test stopped itself. */
  release(c: StreamConsumer): void;
  publish(...events: Envelope[]): Promise<void>;
  pendingCount(group?: string): Promise<number>;
}

/** As a worker is wired: the database's and Redis's "away" errors only delay an entry. */
const isTransient = (error: unknown) => isDatabaseUnavailable(error) || isRedisUnavailable(error);

export const fixtureLogger = createLogger("test", "silent");

export const event = (n: number): Envelope =>
  envelopeFor({ type: "Rented", version: 1, aggregateId: String(n), data: { n } }, "rental", { correlationId: `c${n}` });

export const numberOf = (e: Envelope) => (e.data as { n: number }).n;

export function useConsumerFixture(defaults: Partial<ConsumerOptions> = {}): ConsumerFixture {
  const cleanup = cleanupEach();
  const forgetters = new Map<StreamConsumer, () => void>();
  const f = {} as ConsumerFixture;
  const forget = (c: StreamConsumer) => forgetters.get(c)?.();
  Object.assign(f, {
    consumer(handle: ConsumerOptions["handle"], extra: Partial<ConsumerOptions> = {}) {
      const openBlocking = extra.openBlocking ?? (() => connectRedis(f.url, "blocking", "test"));
      let blocking: Redis | undefined;
      // Registered before the consumer's stop, so it runs after it (cleanup runs last first).
      cleanup.defer(() => blocking?.disconnect());
      const c = new StreamConsumer({
        redis: f.redis,
        streams: [f.stream],
        group: "g",
        consumer: "c1",
        deadLetterStream: f.dead,
        attemptsKey: attemptsKey(f.prefix, "g"),
        isTransient,
        handle,
        logger: fixtureLogger,
        blockMs: 200,
        claimIdleMs: 300,
        ...defaults,
        ...extra,
        openBlocking: () => (blocking = openBlocking()),
      });
      forgetters.set(c, cleanup.defer(() => c.stop()));
      return c;
    },
    abandon(c: StreamConsumer) {
      forget(c);
      void c.stop();
    },
    release: forget,
    async publish(...events: Envelope[]) {
      await publishAll(f.redis, f.stream, events.map((e) => JSON.stringify(e)));
    },
    async pendingCount(group = "g") {
      const summary = (await f.redis.xpending(f.stream, group)) as [number, ...unknown[]];
      return Number(summary[0]);
    },
  });
  beforeEach(async () => {
    f.url = (await testRedis()).url;
    f.redis = connectRedis(f.url, "command", "test");
    cleanup.defer(() => f.redis.disconnect());
    f.prefix = testPrefix("bus");
    f.stream = streamKey(f.prefix, "rental");
    f.dead = deadLetterKey(f.prefix, "g");
  });
  return f;
}
