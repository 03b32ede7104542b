import Redis, { type RedisOptions } from "ioredis";

export type { Redis };

/**
 * Opens an ioredis connection named after its role (visible in CLIENT LIST).
 *
 * - "command": short commands (XADD, XACK, PING); fails fast while Redis is away so
 *   callers (readiness, relay) see the error and retry on their own schedule.
 * - "blocking": one per stream reader; a blocked connection serialises every command on it.
 * - "bullmq": what BullMQ requires (`maxRetriesPerRequest: null`).
 */
export function connectRedis(
  url: string,
  role: "command" | "blocking" | "bullmq",
  name: string,
): Redis {
  const base: RedisOptions = {
    connectionName: `${name}:${role}`,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
  };
  const perRole: Record<typeof role, RedisOptions> = {
    command: { maxRetriesPerRequest: 1, enableOfflineQueue: true },
    blocking: { maxRetriesPerRequest: 1 },
    bullmq: { maxRetriesPerRequest: null, enableReadyCheck: false },
  };
  const redis = new Redis(url, { ...base, ...perRole[role] });
  // Errors surface on the commands that fail; the event would otherwise crash the process.
  redis.on("error", () => {});
  return redis;
}

/** A Redis reply error carries its code as the first word of the message. */
export function redisErrorCode(error: unknown): string | undefined {
  return error instanceof Error ? /^([A-Z]+)\b/.exec(error.message)?.[1] : undefined;
}
