import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createTokenVerifier } from "@rentalnang/shared/auth/token-verifier";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { createLogger } from "@rentalnang/shared/log/logger";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix } from "@rentalnang/shared/testing/harness";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { webSession } from "../session/session-middleware.ts";
import { randomToken, redisSessionStore } from "../session/session-store.ts";
import type { WebSessionEnv } from "../session/web-session.ts";
import { identityClient } from "./identity-client.ts";
import { redisPendingSignIns } from "./pending-sign-ins.ts";
import { webAuthRoutes } from "./sign-in.routes.ts";

/**
 * The sign-in routes when something is missing: identity or Redis away, a callback this
 * browser never started. The whole flow with identity up is test/e2e/web-sign-in.e2e.test.ts.
 */

const cleanup = cleanupAll();
const PUBLIC_URL = "http://localhost:8088";
const cookies = { publicUrl: PUBLIC_URL, trustProxy: false };
const logger = createLogger("test", "silent");

/** The gateway's sign-in on Redis `redis`, with identity expected where nothing listens. */
async function gatewayWith(redis: Awaited<ReturnType<typeof connectTestRedis>>) {
  const issuer = `http://127.0.0.1:${await freePort()}`;
  const prefix = testPrefix("sign-in");
  const sessions = redisSessionStore(redis, prefix);
  const app = new Hono<WebSessionEnv>();
  app.use(webSession({ store: sessions, cookies, logger }));
  app.route("/", webAuthRoutes({
    identity: identityClient({ issuer, clientId: "gateway", clientSecret: "gateway-development-secret", publicUrl: PUBLIC_URL }),
    pending: redisPendingSignIns(redis, prefix),
    sessions,
    cookies,
    verifier: createTokenVerifier({ issuer, audience: "rentalnang" }),
    logger,
  }));
  app.get("/whoami", (c) => c.text(c.var.webSession?.subject ?? "nobody"));
  return { app, sessions };
}

describe("signing in while identity is away", () => {
  test("answers a page saying so, in the person's language, with Retry-After, and no sign-in cookie", async () => {
    const { app } = await gatewayWith(await connectTestRedis(cleanup));
    const res = await app.request("/auth/signin?return=/manager");
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("set-cookie")).toBeNull();
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain("Signing in is not possible right now.");
    expect(page).toContain('href="/auth/signin?return=%2Fmanager"');
    const korean = await app.request("/auth/signin", { headers: { "accept-language": "ko-KR" } });
    expect(await korean.text()).toContain("지금은 로그인할 수 없습니다.");
  });
});

describe("a callback this browser did not start", () => {
  test("without the sign-in cookie, or with a state nobody keeps, ends on the error page", async () => {
    const { app } = await gatewayWith(await connectTestRedis(cleanup));
    const stranger = await app.request("/auth/callback?code=abc&state=s-1");
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain("This sign-in has expired or was not started in this browser.");
    const forgotten = await app.request("/auth/callback?code=abc&state=s-1", { headers: { cookie: "rentalnang-sign-in=s-1" } });
    expect(forgotten.status).toBe(400);
    expect(forgotten.headers.get("set-cookie")).toStartWith("rentalnang-sign-in=; Max-Age=0");
  });

  test("a method the routes do not offer is a 405 problem", async () => {
    const { app } = await gatewayWith(await connectTestRedis(cleanup));
    const res = await app.request("/auth/signin", { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect((await app.request("/signout", { method: "PUT" })).headers.get("allow")).toBe("GET, POST");
  });
});

describe("with the session store away", () => {
  test("a request with a session cookie goes on signed out and keeps its cookie; signing in says it is not possible", async () => {
    const away = connectRedis(`redis://127.0.0.1:${await freePort()}`, "command", "sign-in-test");
    cleanup.defer(() => away.disconnect());
    const { app } = await gatewayWith(away);
    const res = await app.request("/whoami", { headers: { cookie: `rentalnang-session=${randomToken()}` } });
    expect(await res.text()).toBe("nobody");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect((await app.request("/auth/signin")).status).toBe(503);
  });

  test("signing out still clears the cookie", async () => {
    const { app, sessions } = await gatewayWith(await connectTestRedis(cleanup));
    const id = randomToken();
    await sessions.save({ id, subject: "c-1", roles: ["customer"], accessToken: "t", csrfToken: randomToken(), expiresAt: Date.now() + 60_000 });
    const res = await app.request("/signout", { headers: { cookie: `rentalnang-session=${id}` } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    expect(res.headers.get("set-cookie")).toStartWith("rentalnang-session=; Max-Age=0");
    expect(await sessions.find(id)).toBeUndefined();
  });
});
