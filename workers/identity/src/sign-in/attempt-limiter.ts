import { RateLimiterMemory } from "rate-limiter-flexible";

/** Failed attempts counted in fixed windows, per key; a key at its limit is refused until its window ends. */
export interface AttemptLimiter {
  /** 0 when `key` may try now, else the seconds until it may. */
  retryAfter(key: string): Promise<number>;
  /** Counts one failure of `key`. */
  fail(key: string): Promise<void>;
  /** Forgets `key` (a success). */
  reset(key: string): Promise<void>;
}

/**
 * `limit` failures per `windowSeconds` per key (an account, an address), counted by
 * rate-limiter-flexible in memory: each key's window is dropped when it ends. In memory is
 * enough for one identity replica; with several, each counts its own, so the limit is per
 * replica.
 */
export function createAttemptLimiter(limit: number, windowSeconds: number): AttemptLimiter {
  const failures = new RateLimiterMemory({ points: limit, duration: windowSeconds });
  return {
    async retryAfter(key) {
      const window = await failures.get(key);
      // An ended window counts for nothing even before its timer has dropped it.
      if (!window || window.consumedPoints < limit || window.msBeforeNext <= 0) return 0;
      return Math.max(1, Math.ceil(window.msBeforeNext / 1000));
    },
    async fail(key) {
      await failures.penalty(key);
    },
    async reset(key) {
      await failures.delete(key);
    },
  };
}
