import Redis, { type RedisOptions } from "ioredis";
import { fillTracingChannelGap } from "./tracing-channel-gap.ts";

const COMMAND_TIMEOUT_MS = 5_000;
const BLOCKING_GRACE_MS = 3_000;
const KEEPALIVE_MS = 10_000;

export type { Redis };

/**
 * Opens an ioredis connection named after its role (visible in CLIENT LIST).
 *
 * - "command": short commands (XADD, XACK, PING); fails fast while Redis is away so
 *   callers (readiness, relay) see the error and retry on their own schedule.
 * - "blocking": one per stream reader; a blocked connection serialises every command on it.
 * - "bullmq": what BullMQ requires (`maxRetriesPerRequest: null`).
 *
 * Before the first connection it fills a gap of Bun's that made ioredis trace every command
 * (tracing-channel-gap.ts).
 */
export function connectRedis(
  url: string,
  role: "command" | "blocking" | "bullmq",
  name: string,
): Redis {
  const base: RedisOptions = {
    connectionName: `${name}:${role}`,
    connectTimeout: 2_000,
    // A peer that vanished without a reset (a dead node) is noticed in seconds, not hours.
    keepAlive: KEEPALIVE_MS,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
  };
  const perRole: Record<typeof role, RedisOptions> = {
    // No reply within COMMAND_TIMEOUT_MS rejects: the relay and the acks retry on their own.
    command: { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: COMMAND_TIMEOUT_MS },
    // A blocked read gets its BLOCK time plus a grace before ioredis gives up on it.
    blocking: { maxRetriesPerRequest: 1, blockingTimeout: COMMAND_TIMEOUT_MS, blockingTimeoutGrace: BLOCKING_GRACE_MS },
    bullmq: { maxRetriesPerRequest: null, enableReadyCheck: false, keepAlive: KEEPALIVE_MS },
  };
  fillTracingChannelGap();
  const redis = new Redis(url, { ...base, ...perRole[role] });
  // Errors surface on the commands that fail; the event would otherwise crash the process.
  redis.on("error", () => {});
  return redis;
}

/** A Redis reply error carries its code as the first word of the message. */
export function redisErrorCode(error: unknown): string | undefined {
  return error instanceof Error ? /^([A-Z]+)\b/.exec(error.message)?.[1] : undefined;
}

/**
 * Whether an error means Redis (or the network to it) is away: a refused, reset or timed-out
 * connection, a command that found the connection closed. Not a reply error such as WRONGTYPE.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? "");
  if (/^(ECONN\w*|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket|Connection is closed|Command timed out|MaxRetriesPerRequest|Stream isn't writeable/i.test(
    `${error.name}: ${error.message}`,
  );
}
