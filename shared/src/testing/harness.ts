import { connectRedis, type Redis } from "../bus/redis.ts";
import type { Cleanup } from "./cleanup.ts";
import { startRedisServer, type RedisServer } from "./redis-server.ts";

let redis: Promise<RedisServer> | undefined;

/** The run's private redis-server, started on first use (see test/setup.ts). */
export function testRedis(): Promise<RedisServer> {
  redis ??= startRedisServer().then((server) => {
    process.on("exit", () => server.proc.kill("SIGKILL"));
    return server;
  });
  return redis;
}

export async function stopTestRedis(): Promise<void> {
  if (redis) await (await redis).stop();
  redis = undefined;
}

/** A fresh STREAM_PREFIX, so tests sharing one Redis never see each other's keys. */
export function testPrefix(label = "t"): string {
  return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A command connection to `url` (the run's redis-server unless given) that `cleanup` closes. */
export async function connectTestRedis(cleanup: Cleanup, url?: string): Promise<Redis> {
  const connection = connectRedis(url ?? (await testRedis()).url, "command", "test");
  cleanup.defer(() => connection.disconnect());
  return connection;
}
