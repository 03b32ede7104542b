import { expect, spyOn, test } from "bun:test";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix } from "@rentalnang/shared/testing/harness";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { createRateLimiter, type RateLimiter } from "./rate-limiter.ts";

const cleanup = cleanupEach();

/** How many of `n` requests of one client the limiters take, asked in turn. */
async function taken(limiters: RateLimiter[], client: string, n: number) {
  let ok = 0;
  for (let i = 0; i < n; i++) ok += await limiters[i % limiters.length]!.consume(client).then(() => 1, () => 0);
  return ok;
}

test("two gateways on one Redis share each client's count", async () => {
  const prefix = testPrefix("rl");
  const [a, b] = [await connectTestRedis(cleanup), await connectTestRedis(cleanup)];
  await Promise.all([a.ping(), b.ping()]); // until a connection is ready, its gateway counts alone
  const limiters = [createRateLimiter({ redis: a, perSecond: 4, prefix }), createRateLimiter({ redis: b, perSecond: 4, prefix })];
  expect(await taken(limiters, "subject:c-1", 8)).toBe(4);
  expect(await a.exists(`${prefix}:ratelimit:subject:c-1`)).toBe(1);
});

test("with Redis away, each gateway still limits on its own, without waiting for Redis", async () => {
  const away = connectRedis(`redis://127.0.0.1:${await freePort()}`, "command", "rl-test");
  cleanup.defer(() => away.disconnect());
  const limiter = createRateLimiter({ redis: away, perSecond: 3, prefix: testPrefix("rl") });
  // Every command goes through sendCommand; one sent while Redis is away would wait in the
  // client's offline queue until the limiter's own timeout gave up on it.
  const sent = spyOn(away, "sendCommand");
  expect(await taken([limiter], "address:198.51.100.7", 6)).toBe(3);
  expect(sent).not.toHaveBeenCalled();
});
