import Redis from "ioredis";
import { connectRedis, type Redis as RedisClient } from "../bus/redis.ts";
import { redactUrl } from "../config/load-config.ts";
import { isLocalRedis, localDataDir, redisPasswordFile } from "../config/local-redis.ts";
import { fail } from "./command.ts";

/** How long the first PING may take before the command gives up on that Redis. */
const PROBE_TIMEOUT_MS = 2_000;

/** How to point a command at another Redis, or at the one `npm start` runs. */
function redisHint(url: string, env: Record<string, string | undefined> = process.env): string {
  const local = isLocalRedis(url)
    ? `, or start the stack with npm start (its password is read from ${redisPasswordFile(localDataDir(env))}, under DATA_DIR)`
    : "";
  return `set REDIS_URL to the stack's Redis${local}`;
}

/**
 * One PING with a short timeout and a single attempt; the reason when it got no PONG (a Redis
 * still loading its AOF answers LOADING: not yet).
 */
export async function probe(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The connection's own error (ECONNREFUSED) says more than the "Connection is closed" a command then gets.
  let seen: unknown;
  redis.on("error", (error) => (seen ??= error));
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    const first = seen ?? error;
    const code = (first as { code?: string }).code;
    return code ?? (first instanceof Error ? first.message.split("\n")[0] : String(first));
  } finally {
    redis.disconnect();
  }
}

/**
 * Connects an operator command to `url` once a PING has answered, saying on a terminal which Redis
 * and stream prefix it looks at; when none answers, exits in one line naming the (redacted)
 * URL and how to point the command elsewhere.
 */
export async function connectOperatorRedis(command: string, url: string, prefix: string, role: "command" | "bullmq" = "command"): Promise<RedisClient> {
  const reason = await probe(url);
  if (reason) fail(command, `cannot reach Redis at ${redactUrl(url)} (${reason}): ${redisHint(url)}`);
  // For the operator at a terminal; a script reading the output gets only the results.
  if (process.stderr.isTTY) console.error(`${command}: Redis ${redactUrl(url)}, stream prefix ${prefix}`);
  return connectRedis(url, role, command);
}
