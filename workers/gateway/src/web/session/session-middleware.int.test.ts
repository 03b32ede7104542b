import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { onError } from "@rentalnang/shared/http/problem";
import { createLogger } from "@rentalnang/shared/log/logger";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix } from "@rentalnang/shared/testing/harness";
import { webSessionKey } from "@rentalnang/shared/topology/redis-keys";
import { requireWebSession, webSession } from "./session-middleware.ts";
import { randomToken, redisSessionStore } from "./session-store.ts";
import type { WebSession, WebSessionEnv } from "./web-session.ts";

/** The web session in Redis (the test run's redis-server), read by the middlewares as the gateway reads it. */

const cleanup = cleanupAll();
const COOKIES = { publicUrl: "http://localhost:8088", trustProxy: false };

async function setUp() {
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix("web");
  const store = redisSessionStore(redis, prefix);
  const app = new Hono<WebSessionEnv>();
  app.use(webSession({ store, cookies: COOKIES }));
  app.get("/whoami", (c) => c.text(c.var.webSession?.subject ?? "nobody"));
  app.get("/manager", requireWebSession(["manager"]), (c) => c.text("pending confirmations"));
  app.get("/", requireWebSession(), (c) => c.text("my reservations"));
  app.onError(onError(createLogger("test", "silent")));
  return { redis, prefix, store, app };
}

const sessionOf = (subject: string, roles: WebSession["roles"], lifeMs = 60_000): WebSession => ({
  id: randomToken(), subject, roles, accessToken: `token-of-${subject}`, csrfToken: randomToken(), expiresAt: Date.now() + lifeMs,
});
const withCookie = (id: string) => ({ headers: { cookie: `rentalnang-session=${id}` } });

describe("the session store in Redis", () => {
  test("keeps a session under its key until the access token expires, and ends it at once", async () => {
    const { redis, prefix, store } = await setUp();
    const session = sessionOf("c-1", ["customer"]);
    await store.save(session);
    expect(await store.find(session.id)).toEqual(session);
    const ttl = await redis.pttl(webSessionKey(prefix, session.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.end(session.id);
    expect(await store.find(session.id)).toBeUndefined();
    expect(await redis.exists(webSessionKey(prefix, session.id))).toBe(0);
  });

  test("does not keep a session whose token already expired, nor look up ids of another shape", async () => {
    const { store } = await setUp();
    const expired = sessionOf("c-1", ["customer"], -1);
    await store.save(expired);
    expect(await store.find(expired.id)).toBeUndefined();
    expect(await store.find("../../etc")).toBeUndefined();
  });
});

describe("webSession and requireWebSession", () => {
  test("a live session's cookie puts the person in the context", async () => {
    const { store, app } = await setUp();
    const session = sessionOf("m-1", ["manager"]);
    await store.save(session);
    expect(await (await app.request("/whoami", withCookie(session.id))).text()).toBe("m-1");
    expect(await (await app.request("/manager", withCookie(session.id))).text()).toBe("pending confirmations");
  });

  test("an ended session's cookie counts as signed out and is cleared", async () => {
    const { store, app } = await setUp();
    const session = sessionOf("c-1", ["customer"]);
    await store.save(session);
    await store.end(session.id);
    const res = await app.request("/whoami", withCookie(session.id));
    expect(await res.text()).toBe("nobody");
    expect(res.headers.get("set-cookie")).toStartWith("rentalnang-session=; Max-Age=0");
  });

  test("a page without a session sends the person to sign in, returning to the page", async () => {
    const { app } = await setUp();
    const res = await app.request("/manager?order=asc");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/auth/signin?return=${encodeURIComponent("/manager?order=asc")}`);
    expect((await app.request("/", withCookie(randomToken()))).headers.get("location")).toBe("/auth/signin?return=%2F");
  });

  test("a signed-in person without the page's role gets a 403", async () => {
    const { store, app } = await setUp();
    const session = sessionOf("c-1", ["customer"]);
    await store.save(session);
    const res = await app.request("/manager", withCookie(session.id));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { detail: string }).detail).toBe("This page needs the role manager.");
    expect((await app.request("/", withCookie(session.id))).status).toBe(200);
  });
});
