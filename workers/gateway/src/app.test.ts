import { beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { AuthError } from "@rentalnang/shared/auth/errors";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { createApp } from "./app.ts";
import { upstreamPools } from "./routing/upstreams.ts";

const logger = createLogger("gateway-test", "silent");
let upstream: ReturnType<typeof Bun.serve>;
let deadPort: number;
const cleanup = cleanupAll();

beforeAll(async () => {
  // A stand-in upstream that echoes what it received: a real HTTP server on loopback.
  const echo = new Hono();
  echo.get("/deliveries/slow/*", async () => new Response(await Bun.sleep(2_000).then(() => "late")));
  echo.all("/mypages/headers", (c) => c.json(Object.fromEntries(c.req.raw.headers)));
  echo.all("*", async (c) =>
    c.json({ method: c.req.method, path: c.req.path, query: c.req.query(), requestId: c.req.header("x-request-id"), body: await c.req.text() }),
  );
  upstream = Bun.serve({ port: 0, fetch: echo.fetch });
  cleanup.defer(() => upstream.stop(true));
  deadPort = await freePort();
});

function gateway(over: Partial<Record<"rental" | "payment" | "delivery" | "mypage", string | string[]>> = {}, timeoutMs = 1_000, auth: AuthenticateOptions = LAB_MODE) {
  const url = `http://127.0.0.1:${upstream.port}`;
  const health = new Health();
  health.markReady();
  return createApp({ upstreams: upstreamPools({ rental: url, payment: url, delivery: url, mypage: url, ...over }), timeoutMs, health, logger, metrics: new Metrics("gateway"), auth });
}

describe("gateway", () => {
  test("routes by prefix with path, query, body and request id", async () => {
    const res = await gateway().request("/rentals?customerId=c-1", {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "abc-123" },
      body: '{"carId":"a"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("abc-123");
    expect(await res.json()).toEqual({ method: "POST", path: "/rentals", query: { customerId: "c-1" }, requestId: "abc-123", body: '{"carId":"a"}' });
  });

  test("payments are read-only through the gateway", async () => {
    const res = await gateway().request("/payments", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  test("an unreachable upstream is a 502 problem at once, not a hang", async () => {
    const res = await gateway({ mypage: `http://127.0.0.1:${deadPort}` }).request("/mypages/1");
    expect(res.status).toBe(502);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ status: 502, upstream: "mypage" });
  });

  test("an upstream's replicas are asked in turn, and a refused connection goes to the next with its body", async () => {
    const replica = (name: string) => Bun.serve({ port: 0, fetch: async (req) => Response.json({ name, body: await req.text() }) });
    const [one, two] = [replica("one"), replica("two")];
    cleanup.defer(() => [one, two].forEach((s) => s.stop(true)));
    const urls = [`http://127.0.0.1:${one.port}`, `http://127.0.0.1:${deadPort}`, `http://127.0.0.1:${two.port}`];
    const app = gateway({ rental: urls });
    const post = async () => {
      const res = await app.request("/rentals", { method: "POST", headers: { "content-type": "application/json" }, body: '{"carId":"a"}' });
      expect(res.status).toBe(200);
      return (await res.json()) as { name: string; body: string };
    };
    const answers = [await post(), await post(), await post()];
    // one, then the dead one refuses and two answers in its place, then one again
    expect(answers.map((a) => a.name)).toEqual(["one", "two", "one"]);
    expect(answers.every((a) => a.body === '{"carId":"a"}')).toBe(true);
  });

  test("the proxy and the operators' fan-out take an upstream's replicas in one turn", async () => {
    const replica = (name: string) => Bun.serve({ port: 0, fetch: () => Response.json({ name }) });
    const [one, two] = [replica("one"), replica("two")];
    cleanup.defer(() => [one, two].forEach((s) => s.stop(true)));
    const app = gateway({ rental: [`http://127.0.0.1:${one.port}`, `http://127.0.0.1:${two.port}`] });
    const nameAt = async (path: string) => ((await (await app.request(path)).json()) as { name: string }).name;
    expect([await nameAt("/rentals"), await nameAt("/admin/invariants/rental/rows"), await nameAt("/rentals/1")]).toEqual(["one", "two", "one"]);
  });

  test("an upstream that does not answer in time is a 504 problem", async () => {
    const res = await gateway({}, 200).request("/deliveries/slow/1");
    expect(res.status).toBe(504);
  });

  test("unknown paths are 404 problems and big bodies 413, with a request id", async () => {
    const missing = await gateway().request("/nowhere");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toBeTruthy();
    const big = await gateway().request("/rentals", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(70_000) }),
    });
    expect(big.status).toBe(413);
  });

  test("connection-level headers stay at the gateway", async () => {
    const res = await gateway().request("/mypages/headers", {
      headers: {
        connection: "keep-alive, x-hop-secret", "x-hop-secret": "1", "keep-alive": "timeout=5", te: "trailers",
        upgrade: "h2c", "proxy-authorization": "Basic Zm9vOmJhcg==", "x-end-to-end": "kept",
      },
    });
    const seen = (await res.json()) as Record<string, string>;
    for (const name of ["x-hop-secret", "keep-alive", "te", "upgrade", "proxy-authorization"]) expect(seen[name]).toBeUndefined();
    expect(seen["x-end-to-end"]).toBe("kept");
  });

  test("the client's Host port never picks the upstream's port", async () => {
    // The upstream URL has no port (80, where nothing listens here); a client naming the echo
    // server's port in its Host must not reach it.
    const res = await gateway({ rental: "http://127.0.0.1" }).request(`http://127.0.0.1:${upstream.port}/rentals`);
    expect(res.status).toBe(502);
  });

  test("with AUTH on, a request without a good token is refused at the gateway; a good one goes on with its token; the board is delivery's to check", async () => {
    const believer: AuthenticateOptions = {
      mode: "on",
      verifier: {
        verify: async (token) => {
          if (token !== "good") throw new AuthError("The token is malformed.");
          return { subject: "c-1", roles: ["customer"], clientId: "gateway" };
        },
      },
    };
    const app = gateway({}, 1_000, believer);
    const refused = await app.request("/mypages/headers");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="rentalnang"');
    expect((await app.request("/mypages/headers", { headers: { authorization: "Bearer bad" } })).status).toBe(401);
    const passed = await app.request("/mypages/headers", { headers: { authorization: "Bearer good" } });
    expect(passed.status).toBe(200);
    expect(((await passed.json()) as Record<string, string>).authorization).toBe("Bearer good");
    const board = await app.request("/admin/queues", { headers: { authorization: `Basic ${btoa("admin:pw")}` } });
    expect(((await board.json()) as { path: string }).path).toBe("/admin/queues");
    expect((await app.request("/healthz")).status).toBe(200);
  });

  test("X-Forwarded-For gets the client's address appended, not passed through as sent", async () => {
    const server = Bun.serve({ port: 0, fetch: gateway().fetch });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/mypages/headers`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      const seen = (await res.json()) as Record<string, string>;
      expect(seen["x-forwarded-for"]).toMatch(/^203\.0\.113\.9, (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
      const direct = await fetch(`http://127.0.0.1:${server.port}/mypages/headers`);
      expect(((await direct.json()) as Record<string, string>)["x-forwarded-for"]).toMatch(/127\.0\.0\.1|::1/);
    } finally {
      server.stop(true);
    }
  });
});
