import type { Redis } from "./redis.ts";

/** How long a reading is reused while this process has written little since. */
const FRESH_MS = 1_000;
/** Over the budget, how often to look whether there is room again. */
const OVER_FRESH_MS = 50;
/** A reading is stale once this process wrote this share of the headroom it left (three publishers share it). */
const HEADROOM_SHARE = 0.25;
/**
 * The share of the budget the outbox relays fill; the rest is for what consumers still write
 * for events already published (a BullMQ job for a PaymentApproved whose request failed at once, dead letters).
 */
const PUBLISH_SHARE = 0.9;
/**
 * Once over the relays' limit, a reading stays over it until this share of the limit is free
 * again. Used memory that hovers at the limit (client buffers come and go) would otherwise let
 * events trickle out a few at a time, and make the pause, readiness and 503s flap with it.
 */
const RESUME_SHARE = 0.05;

export interface MemoryReading {
  /** INFO memory `used_memory`, in bytes. */
  usedBytes: number;
  /** INFO memory `maxmemory`; 0 when Redis has no limit. */
  maxBytes: number;
  /** The configured share of maxBytes; undefined when Redis has no limit (then no budget). */
  budgetBytes: number | undefined;
  /** Where the outbox relays stop publishing: nine tenths of the budget. */
  publishLimitBytes: number | undefined;
  /** Used memory has reached the relays' limit: they hold events back, acked entries are trimmed at once. */
  overBudget: boolean;
  /** Used memory has reached maxmemory: with `noeviction`, Redis refuses every write. */
  outOfMemory: boolean;
}

/**
 * Reads `used_memory` and `maxmemory` out of an INFO memory reply. `wasOver`: the previous
 * reading was over the limit, so this one stays over until RESUME_SHARE of it is free.
 */
export function memoryReading(info: string, budgetShare: number, wasOver = false): MemoryReading {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? 0);
  const usedBytes = field("used_memory");
  const maxBytes = field("maxmemory");
  const budgetBytes = maxBytes > 0 ? Math.floor(maxBytes * budgetShare) : undefined;
  const publishLimitBytes = budgetBytes === undefined ? undefined : Math.floor(budgetBytes * PUBLISH_SHARE);
  return {
    usedBytes,
    maxBytes,
    budgetBytes,
    publishLimitBytes,
    overBudget: publishLimitBytes !== undefined && usedBytes >= publishLimitBytes * (wasOver ? 1 - RESUME_SHARE : 1),
    outOfMemory: maxBytes > 0 && usedBytes >= maxBytes,
  };
}

/**
 * Redis memory against its budget (REDIS_MEMORY_BUDGET, a share of `maxmemory`), read with
 * INFO memory and cached so that every publish round and every reservation can ask. A reading
 * is reused for a second, but no longer than this process's own writes (`wrote`) stay within a
 * quarter of the headroom it showed — a burst of events re-reads as it nears the budget, so
 * the publishers stop at it rather than a second past it — and over the budget for 50 ms.
 * Concurrent callers share one read. A failed read rejects (the relay retries on its sweep).
 */
export function createRedisMemory(redis: Redis, budgetShare: number) {
  let last: { reading: MemoryReading; at: number } | undefined;
  let reading: Promise<MemoryReading> | undefined;
  let written = 0;

  const fresh = (now: number) => {
    if (!last) return false;
    const { usedBytes, publishLimitBytes } = last.reading;
    if (publishLimitBytes === undefined) return now - last.at < FRESH_MS;
    const headroom = publishLimitBytes - usedBytes;
    if (headroom <= 0 || last.reading.overBudget) return now - last.at < OVER_FRESH_MS;
    return written < headroom * HEADROOM_SHARE && now - last.at < FRESH_MS;
  };

  async function read(): Promise<MemoryReading> {
    if (last && fresh(Date.now())) return last.reading;
    reading ??= redis
      .info("memory")
      .then((info) => {
        last = { reading: memoryReading(info, budgetShare, last?.reading.overBudget), at: Date.now() };
        written = 0;
        return last.reading;
      })
      .finally(() => (reading = undefined));
    return reading;
  }

  /**
   * The last reading without waiting for Redis, refreshed in the background when stale; only
   * the very first call waits. For a request path: a Redis that is away or slow adds nothing.
   */
  async function recent(): Promise<MemoryReading> {
    if (!last) return read();
    if (!fresh(Date.now())) read().catch(() => {});
    return last.reading;
  }

  /**
   * Bytes this process may still publish before Redis reaches the relays' limit, by the latest reading
   * less what this process wrote since; undefined when there is no budget.
   */
  async function room(): Promise<number | undefined> {
    const { usedBytes, publishLimitBytes, overBudget } = await read();
    if (publishLimitBytes === undefined) return undefined;
    return overBudget ? 0 : Math.max(0, publishLimitBytes - usedBytes - written);
  }

  /** Tells the reading that this process just added about `bytes` to Redis. */
  const wrote = (bytes: number) => void (written += bytes);

  return { read, recent, room, wrote };
}
export type RedisMemory = ReturnType<typeof createRedisMemory>;
