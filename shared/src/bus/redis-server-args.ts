/**
 * How the system runs redis-server wherever it starts one itself (npm start, the test
 * harness); k8s/base/redis.yaml passes the same durability flags, which deploy/ checks.
 */

/**
 * What every Redis of this system needs: the AOF fsynced every second (a crash loses at most
 * the last second, which the outbox relay republishes), and no eviction (an evicted stream
 * entry or job is lost for good).
 */
export const REDIS_DURABILITY = { appendonly: "yes", appendfsync: "everysec", "maxmemory-policy": "noeviction" } as const;

export interface LocalRedis {
  port: number | string;
  /** A loopback address: nothing else should reach a Redis without a password. */
  bind: string;
  /** Where its AOF lives. */
  dir: string;
  /** A memory limit (`12mb`); none unless given. With `noeviction`, writes past it fail with OOM. */
  maxmemory?: string;
}

/** The arguments after `redis-server` for a local Redis: durable, and with no RDB snapshots (the AOF is enough). */
export function redisServerArgs({ port, bind, dir, maxmemory }: LocalRedis): string[] {
  const durability = Object.entries(REDIS_DURABILITY).flatMap(([flag, value]) => [`--${flag}`, value]);
  const limit = maxmemory ? ["--maxmemory", maxmemory] : [];
  return ["--port", String(port), "--bind", bind, "--dir", dir, ...durability, ...limit, "--save", ""];
}
