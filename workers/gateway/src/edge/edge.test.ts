import { describe, expect, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { AuthError } from "@rentalnang/shared/auth/errors";
import type { Principal, Role } from "@rentalnang/shared/auth/principal";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { createApp, type AppDeps } from "../app.ts";
import { createRateLimiter } from "../rate-limit/rate-limiter.ts";
import { upstreamPools } from "../routing/upstreams.ts";
import { upstreamReadiness } from "./upstream-readiness.ts";

/** A verifier that believes tokens of the form `<subject>.<role>.<role>`; "bad" is refused. */
const believer: AuthenticateOptions = {
  mode: "on",
  verifier: {
    verify: async (token: string): Promise<Principal> => {
      if (token === "bad") throw new AuthError("The token is malformed.");
      const [subject, ...roles] = token.split(".");
      return { subject: subject!, roles: roles as Role[], clientId: undefined };
    },
  },
};

function gateway(over: Partial<AppDeps> = {}) {
  const url = "http://127.0.0.1:1";
  const health = new Health();
  health.markReady();
  return createApp({
    upstreams: upstreamPools({ rental: url, payment: url, delivery: url, mypage: url }), timeoutMs: 500, health,
    logger: createLogger("gateway-test", "silent"), metrics: new Metrics("gateway"), auth: believer, ...over,
  });
}
const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

describe("the gateway's edge", () => {
  test("security headers on every answer; HSTS only over TLS (a trusted proxy's https, or an https PUBLIC_URL)", async () => {
    const res = await gateway().request("/healthz", { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("strict-transport-security")).toBeNull(); // the header is not trusted
    const proxied = await gateway({ trustProxy: true }).request("/nowhere", { headers: { "x-forwarded-proto": "https" } });
    expect(proxied.headers.get("strict-transport-security")).toStartWith("max-age=");
    expect((await gateway({ trustProxy: true }).request("/healthz")).headers.get("strict-transport-security")).toBeNull();
    const publicTls = await gateway({ publicUrl: "https://rentals.example.com" }).request("/healthz");
    expect(publicTls.headers.get("strict-transport-security")).toStartWith("max-age=");
  });

  test("/metrics is the operators': no token 401, another role 403, an operator 200", async () => {
    const app = gateway();
    expect((await app.request("/metrics")).status).toBe(401);
    expect((await app.request("/metrics", bearer("m-1.manager"))).status).toBe(403);
    const ok = await app.request("/metrics", bearer("o-1.operator"));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("http_request_duration_seconds");
  });

  test("over the limit a client gets 429 with Retry-After; another client, and the same address with its own token, are still served", async () => {
    const app = gateway({ rateLimiter: createRateLimiter({ perSecond: 3, prefix: "edge-test" }), trustProxy: true });
    const from = (address: string, token?: string) =>
      app.request("/healthz-not-here", { headers: { "x-forwarded-for": address, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await from("198.51.100.1")).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]); // counted before the token check
    const refused = await from("198.51.100.1");
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 429, title: "Too Many Requests" });
    expect((await from("198.51.100.2")).status).toBe(401);
    expect((await from("198.51.100.1", "c-1.customer")).status).toBe(404);
    // A bad token counts against its address, which is over its limit already.
    expect((await from("198.51.100.1", "bad")).status).toBe(429);
    expect((await app.request("/healthz", { headers: { "x-forwarded-for": "198.51.100.1" } })).status).toBe(200);
  });

  test("with the rate limit on, each request's token is verified once, a bad one too", async () => {
    let verified = 0;
    const counting: AuthenticateOptions = { mode: "on", verifier: { verify: (token) => (verified++, believer.verifier.verify(token)) } };
    const app = gateway({ auth: counting, rateLimiter: createRateLimiter({ perSecond: 100, prefix: "edge-test" }) });
    expect((await app.request("/nowhere", bearer("c-1.customer"))).status).toBe(404);
    expect(verified).toBe(1);
    expect((await app.request("/nowhere", bearer("bad"))).status).toBe(401);
    expect(verified).toBe(2);
    expect((await app.request("/metrics", bearer("o-1.operator"))).status).toBe(200);
    expect(verified).toBe(3);
  });

  test("the public /readyz names no upstream URL and asks each upstream at most once per period", async () => {
    let asked = 0;
    const upstream = Bun.serve({ port: 0, fetch: () => (asked++, new Response("ok")) });
    try {
      const dead = `http://127.0.0.1:${await freePort()}`;
      const health = new Health();
      health.add("rental", upstreamReadiness([upstream.url.origin, dead], 60_000), { informational: true });
      health.add("mypage", upstreamReadiness([dead], 60_000), { informational: true });
      health.markReady();
      const app = gateway({ health, auth: LAB_MODE });
      const bodies = await Promise.all([1, 2, 3].map(async () => (await app.request("/readyz")).text()));
      expect(asked).toBe(1);
      expect(JSON.parse(bodies[0]!).checks).toEqual({ rental: { status: "ok", replicasReady: "1/2" }, mypage: { status: "down", error: "not ready" } });
      for (const body of bodies) expect(body).not.toContain("127.0.0.1");
    } finally {
      upstream.stop(true);
    }
  });
});
