import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { onError } from "@rentalnang/shared/http/problem";
import { createLogger } from "@rentalnang/shared/log/logger";
import { csrfProtection, CSRF_FIELD, CSRF_HEADER, isSameOrigin, tokensMatch } from "./csrf.ts";
import type { WebSession, WebSessionEnv } from "./web-session.ts";

const PUBLIC_URL = "http://localhost:8088";
const SESSION: WebSession = {
  id: "s".repeat(43), subject: "c-1", roles: ["customer"], accessToken: "a.b.c", csrfToken: "t".repeat(43), expiresAt: Date.now() + 60_000,
};

/** An app where a signed-in request (header `x-signed-in`) carries SESSION, as webSession would put it there. */
function appWith(originOnly?: (path: string) => boolean) {
  const app = new Hono<WebSessionEnv>();
  app.use(async (c, next) => {
    if (c.req.header("x-signed-in")) c.set("webSession", SESSION);
    await next();
  });
  app.use(csrfProtection({ publicUrl: PUBLIC_URL, ...(originOnly ? { originOnly } : {}) }));
  app.post("/reservations", async (c) => c.json({ body: await c.req.parseBody() }));
  app.get("/reservations", (c) => c.text("list"));
  app.post("/admin/queues/api/queues/pause", (c) => c.text("paused"));
  app.onError(onError(createLogger("test", "silent")));
  return app;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };
const signedIn = (headers: Record<string, string>) => ({ "x-signed-in": "1", ...headers });

describe("an unsafe request the session cookie authenticates", () => {
  test("from the gateway's own page with the session's token in the form goes through, its body intact", async () => {
    const res = await appWith().request("/reservations", {
      method: "POST", headers: signedIn({ ...FORM, origin: PUBLIC_URL }), body: form({ [CSRF_FIELD]: SESSION.csrfToken, hours: "3" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: { [CSRF_FIELD]: SESSION.csrfToken, hours: "3" } });
  });

  test("with the token in the X-CSRF-Token header (htmx, fetch) goes through", async () => {
    const res = await appWith().request("/reservations", {
      method: "POST", headers: signedIn({ origin: PUBLIC_URL, [CSRF_HEADER]: SESSION.csrfToken, "content-type": "application/json" }), body: "{}",
    });
    expect(res.status).toBe(200);
  });

  test("from another origin is refused with a 403 problem, even with the right token", async () => {
    const res = await appWith().request("/reservations", {
      method: "POST", headers: signedIn({ ...FORM, origin: "https://evil.example" }), body: form({ [CSRF_FIELD]: SESSION.csrfToken }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { detail: string }).detail).toContain("Origin");
  });

  test("without an Origin, or with Origin null (a sandboxed frame), is refused", async () => {
    for (const headers of [signedIn(FORM), signedIn({ ...FORM, origin: "null" })]) {
      const res = await appWith().request("/reservations", { method: "POST", headers, body: form({ [CSRF_FIELD]: SESSION.csrfToken }) });
      expect(res.status).toBe(403);
    }
  });

  test("from the right origin without the token, or with another one, is refused", async () => {
    for (const fields of [{}, { [CSRF_FIELD]: "x".repeat(43) }, { [CSRF_FIELD]: "short" }] as Record<string, string>[]) {
      const res = await appWith().request("/reservations", { method: "POST", headers: signedIn({ ...FORM, origin: PUBLIC_URL }), body: form(fields) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toContain(CSRF_FIELD);
    }
  });

  test("on a path whose scripts cannot send our token (the queue board), the Origin alone decides", async () => {
    const app = appWith((path) => path.startsWith("/admin/queues"));
    const path = "/admin/queues/api/queues/pause";
    expect((await app.request(path, { method: "POST", headers: signedIn({ origin: PUBLIC_URL }) })).status).toBe(200);
    expect((await app.request(path, { method: "POST", headers: signedIn({ origin: "http://127.0.0.1:9999" }) })).status).toBe(403);
  });
});

describe("requests the cookie does not authenticate pass untouched", () => {
  test("safe methods, requests with their own bearer token, and requests without a session", async () => {
    const app = appWith();
    expect((await app.request("/reservations", { headers: signedIn({ origin: "https://evil.example" }) })).status).toBe(200);
    const withToken = { ...FORM, origin: "https://evil.example", authorization: "Bearer a.b.c" };
    expect((await app.request("/reservations", { method: "POST", headers: signedIn(withToken), body: form({}) })).status).toBe(200);
    expect((await app.request("/reservations", { method: "POST", headers: FORM, body: form({}) })).status).toBe(200);
  });
});

test("the same origin is the scheme, host and port of PUBLIC_URL exactly", () => {
  expect(isSameOrigin("http://localhost:8088", PUBLIC_URL)).toBe(true);
  expect(isSameOrigin("http://localhost:8088", "http://localhost:8088/")).toBe(true);
  for (const other of ["https://localhost:8088", "http://localhost:8089", "http://127.0.0.1:8088", "http://localhost:8088.evil.example", "garbage", undefined]) {
    expect(isSameOrigin(other, PUBLIC_URL)).toBe(false);
  }
});

test("tokens match only when equal", () => {
  expect(tokensMatch("abc", "abc")).toBe(true);
  expect(tokensMatch("abd", "abc")).toBe(false);
  expect(tokensMatch("ab", "abc")).toBe(false);
  expect(tokensMatch(undefined, "abc")).toBe(false);
});
