import type { Redis } from "./redis.ts";

/** How long a reading is reused while memory is well under the budget. */
const FRESH_MS = 1_000;
/** Near the budget a reading is reused only this long: a second of publishing could overshoot it. */
const NEAR_FRESH_MS = 50;
/** "Near": used memory above this share of the budget. */
const NEAR_SHARE = 0.9;

export interface MemoryReading {
  /** INFO memory `used_memory`, in bytes. */
  usedBytes: number;
  /** INFO memory `maxmemory`; 0 when Redis has no limit. */
  maxBytes: number;
  /** The configured share of maxBytes; undefined when Redis has no limit (then no budget). */
  budgetBytes: number | undefined;
  /** Used memory has reached the budget: the outbox relays stop publishing. */
  overBudget: boolean;
  /** Used memory has reached maxmemory: with `noeviction`, Redis refuses every write. */
  outOfMemory: boolean;
}

/** Reads `used_memory` and `maxmemory` out of an INFO memory reply. */
export function memoryReading(info: string, budgetShare: number): MemoryReading {
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? 0);
  const usedBytes = field("used_memory");
  const maxBytes = field("maxmemory");
  const budgetBytes = maxBytes > 0 ? Math.floor(maxBytes * budgetShare) : undefined;
  return {
    usedBytes,
    maxBytes,
    budgetBytes,
    overBudget: budgetBytes !== undefined && usedBytes >= budgetBytes,
    outOfMemory: maxBytes > 0 && usedBytes >= maxBytes,
  };
}

/**
 * Redis memory against its budget (REDIS_MEMORY_BUDGET, a share of `maxmemory`), read with
 * INFO memory and cached so that every publish round and every reservation can ask: at most
 * one INFO a second while far from the budget, and one per 50 ms near it. Concurrent callers
 * share one read. A failed read rejects (the caller decides; the relay retries on its sweep).
 */
export function createRedisMemory(redis: Redis, budgetShare: number) {
  let last: { reading: MemoryReading; at: number } | undefined;
  let reading: Promise<MemoryReading> | undefined;

  const fresh = (now: number) => {
    if (!last) return false;
    const { usedBytes, budgetBytes } = last.reading;
    const near = budgetBytes !== undefined && usedBytes >= budgetBytes * NEAR_SHARE;
    return now - last.at < (near ? NEAR_FRESH_MS : FRESH_MS);
  };

  async function read(): Promise<MemoryReading> {
    if (last && fresh(Date.now())) return last.reading;
    reading ??= redis
      .info("memory")
      .then((info) => {
        last = { reading: memoryReading(info, budgetShare), at: Date.now() };
        return last.reading;
      })
      .finally(() => (reading = undefined));
    return reading;
  }

  return {
    read,
    /** The last reading, without asking Redis (undefined before the first). */
    get last(): MemoryReading | undefined {
      return last?.reading;
    },
  };
}
export type RedisMemory = ReturnType<typeof createRedisMemory>;
