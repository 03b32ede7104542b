import { expect, test } from "bun:test";
import { createRedisMemory } from "../bus/redis-memory.ts";
import { Metrics } from "../observability/metrics.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { watchBusPressure } from "./bus-pressure.ts";

const cleanup = cleanupEach();

/** Calls of each command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function calls(redis: Awaited<ReturnType<typeof connectTestRedis>>): Promise<Record<string, number>> {
  const info = await redis.info("commandstats");
  return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(([, name, n]) => [name!, Number(n)]));
}

test("one scrape reads the published stream's groups once for its three stream gauges", async () => {
  const redis = await connectTestRedis(cleanup);
  const stream = `${testPrefix("pressure")}:stream`;
  for (const group of ["a", "b"]) await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM");
  await redis.xadd(stream, "*", "event", "{}");
  for (const group of ["a", "b"]) await redis.xreadgroup("GROUP", group, "c", "COUNT", 1, "STREAMS", stream, ">");
  const metrics = new Metrics("test");
  watchBusPressure({ redis, memory: createRedisMemory(redis, 0.8), metrics, published: { stream, groups: ["a", "b", "c"] } });

  await redis.config("RESETSTAT");
  const text = await metrics.registry.metrics();
  const n = await calls(redis);

  expect(text).toContain(`stream_group_pending{stream="${stream}",group="a",service="test"} 1`);
  expect(text).toContain(`stream_group_lag{stream="${stream}",group="c",service="test"} 1`);
  expect(n["xinfo|groups"]).toBe(1);
  expect(n.xpending).toBe(2);
});
