import { beforeAll, describe, expect, test } from "bun:test";
import { encodeDeadLetter } from "@rentalnang/shared/bus/dead-letter";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis } from "@rentalnang/shared/testing/harness";
import { httpClient, type Reply } from "@rentalnang/shared/testing/http-client";
import { spawnWorker, type RunningProcess } from "@rentalnang/shared/testing/processes";
import { startRedisServer } from "@rentalnang/shared/testing/redis-server";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { urlVariable, workerNames } from "@rentalnang/shared/topology/topology";

/**
 * The gateway's edge with every process spawned and auth on: the per-client rate limit,
 * counted in Redis across two gateway replicas, and the operators' surfaces. The Redis
 * requires a password, as npm start's does: every process gets it in REDIS_URL.
 */

const LIMIT = 5;
const REDIS_PASSWORD = "edge-test-password";
let stack: Stack;
/** A second gateway beside the stack's, on the same Redis and prefix. */
let twin: RunningProcess;
const cleanup = cleanupAll();

beforeAll(async () => {
  const redis = await startRedisServer({ password: REDIS_PASSWORD });
  cleanup.defer(() => redis.stop());
  stack = await startStack({ gateway: { RATE_LIMIT_PER_SECOND: String(LIMIT) } }, redis.url);
  cleanup.defer(() => stack.stop());
  const upstreams = Object.fromEntries(workerNames.map((w) => [urlVariable(w), stack.procs[w].url]));
  twin = await spawnWorker("gateway", {
    env: { REDIS_URL: stack.redisUrl, STREAM_PREFIX: stack.prefix, OIDC_ISSUER: stack.identity.url, RATE_LIMIT_PER_SECOND: String(LIMIT), ...upstreams },
  });
  cleanup.defer(() => twin.stop());
});

/** Requests as `account`, alternating between the two gateways, until the first 429; how many were served before it, and the 429. */
async function burst(account: string): Promise<{ served: number; refused: Reply }> {
  const token = await stack.tokenFor(account, ["customer"]);
  const gateways = [stack.gateway.url, twin.url].map((url) => httpClient(url, { bearer: token }));
  for (let i = 0; i < 4 * LIMIT; i++) {
    const reply = await gateways[i % 2]!.get("/rentals");
    if (reply.status === 429) return { served: i, refused: reply };
    expect(reply.status).toBe(200);
  }
  throw new Error(`no 429 within ${4 * LIMIT} requests`);
}

describe("the gateway's edge", () => {
  test("a burst over the limit gets 429 with Retry-After, counted across both gateways, while another client is still served", async () => {
    // A burst that straddles the one-second window is served more: try again with another account.
    let result = await burst("load-7101");
    for (let i = 2; result.served !== LIMIT && i <= 3; i++) result = await burst(`load-710${i}`);
    expect(result.served).toBe(LIMIT);
    expect(result.refused.headers.get("retry-after")).toBe("1");
    expect(result.refused.headers.get("content-type")).toBe("application/problem+json");
    expect(result.refused.body).toMatchObject({ status: 429, title: "Too Many Requests" });
    const other = await httpClient(twin.url, { bearer: await stack.tokenFor("c-2") }).get("/rentals");
    expect(other.status).toBe(200);
  });

  test("dead letters: operators list every group's through the gateway, and redrive or drop one by its group", async () => {
    const redis = await connectTestRedis(cleanup, stack.redisUrl);
    const letter = (n: number) => encodeDeadLetter({
      stream: streamKey(stack.prefix, "rental"), entryId: `${n}-0`, group: "payment", reason: `edge ${n}`, deliveries: 5,
      fields: { event: JSON.stringify({ type: "Probe", data: { n } }) }, failedAt: new Date().toISOString(),
    });
    const [first, second] = [await redis.xadd(deadLetterKey(stack.prefix, "payment"), "*", ...letter(1)), await redis.xadd(deadLetterKey(stack.prefix, "payment"), "*", ...letter(2))];
    const operator = httpClient(stack.gateway.url, { bearer: await stack.tokenFor("o-1") });
    expect((await httpClient(stack.gateway.url, { bearer: await stack.tokenFor("m-1") }).get("/admin/dead-letters")).status).toBe(403);
    expect((await httpClient(stack.gateway.url).get("/admin/dead-letters")).status).toBe(401);
    const listed = await operator.get("/admin/dead-letters");
    expect(listed.status).toBe(200);
    expect(listed.body.unavailable).toEqual([]);
    expect(listed.body.deadLetters.map((l: { group: string; id: string; reason: string }) => [l.group, l.id, l.reason])).toEqual([["payment", first, "edge 1"], ["payment", second, "edge 2"]]);
    expect(listed.body.deadLetters[0].event).toEqual({ type: "Probe", data: { n: 1 } });
    expect((await operator.post(`/admin/dead-letters/payment/${first}/redrive`)).body).toEqual({ redriven: 1 });
    expect((await operator.delete(`/admin/dead-letters/payment/${second}`)).status).toBe(204);
    expect((await operator.delete(`/admin/dead-letters/nobody/${second}`)).status).toBe(404);
    // (payment may dead-letter the redriven probe again, under a new id)
    const left = (await redis.xrange(deadLetterKey(stack.prefix, "payment"), "-", "+")).map(([id]) => id);
    expect(left).not.toContain(first);
    expect(left).not.toContain(second);
  });

  test("/metrics is the operators' at the gateway; the public /readyz names no internal URL", async () => {
    expect((await httpClient(stack.gateway.url).get("/metrics")).status).toBe(401);
    expect((await httpClient(stack.gateway.url, { bearer: await stack.tokenFor("c-1") }).get("/metrics")).status).toBe(403);
    const metrics = await httpClient(stack.gateway.url, { bearer: await stack.tokenFor("o-1") }).get("/metrics");
    expect(metrics.status).toBe(200);
    const ready = await httpClient(stack.gateway.url).get("/readyz");
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks)).toEqual(expect.arrayContaining(["rental", "payment", "delivery", "mypage", "redis"]));
    expect(ready.text).not.toContain("127.0.0.1");
    expect(ready.headers.get("x-content-type-options")).toBe("nosniff");
    for (const p of [stack.gateway, twin, ...Object.values(stack.procs)]) expect(p.output.join("\n")).not.toContain(REDIS_PASSWORD);
  });
});
