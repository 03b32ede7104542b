import { RateLimiterMemory, RateLimiterRedis, RLWrapperTimeouts, type RateLimiterRes } from "rate-limiter-flexible";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { rateLimitPrefix } from "@rentalnang/shared/topology/redis-keys";

/** Longest wait for Redis on a request's path before this gateway counts alone. */
const REDIS_WAIT_MS = 200;

/** Takes one request of a client's budget; rejects with the RateLimiterRes of a client over it. */
export interface RateLimiter {
  readonly perSecond: number;
  consume(client: string): Promise<RateLimiterRes>;
}

export interface RateLimiterOptions {
  /** Where every gateway replica counts; without it (tests) each counts alone. */
  redis?: Redis | undefined;
  perSecond: number;
  /** STREAM_PREFIX: the counters live under it like every other key. */
  prefix: string;
}

/**
 * A fixed one-second window per client, counted in Redis (rate-limiter-flexible's
 * RateLimiterRedis: one INCR with expiry per request), so the limit holds across the
 * gateway's replicas. While Redis is away or slower than REDIS_WAIT_MS, each gateway counts
 * in its own memory (the insurance limiter) with the same limit: a client may then get up to
 * the limit times the number of replicas, rather than every request refused or none limited.
 */
export function createRateLimiter({ redis, perSecond, prefix }: RateLimiterOptions): RateLimiter {
  const window = { points: perSecond, duration: 1, keyPrefix: rateLimitPrefix(prefix) };
  const memory = new RateLimiterMemory(window);
  if (!redis) return { perSecond, consume: (client) => memory.consume(client) };
  const shared = new RateLimiterRedis({ ...window, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory });
  const bounded = new RLWrapperTimeouts({ limiter: shared, timeoutMs: REDIS_WAIT_MS, insuranceLimiter: memory });
  return { perSecond, consume: (client) => bounded.consume(client) };
}
