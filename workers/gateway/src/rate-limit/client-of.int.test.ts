import { expect, test } from "bun:test";
import { Hono } from "hono";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import type { Principal, Role } from "@rentalnang/shared/auth/principal";
import { createLogger } from "@rentalnang/shared/log/logger";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix } from "@rentalnang/shared/testing/harness";
import { webSession } from "../web/session/session-middleware.ts";
import { randomToken, redisSessionStore } from "../web/session/session-store.ts";
import type { WebSession, WebSessionEnv } from "../web/session/web-session.ts";
import { clientOf, type VerificationEnv } from "./client-of.ts";
import { rateLimit } from "./rate-limit.ts";
import { createRateLimiter } from "./rate-limiter.ts";

/** Who the rate limit counts a request against, with the web session read from Redis as the gateway reads it. */

const cleanup = cleanupAll();
const COOKIES = { publicUrl: "http://localhost:8088", trustProxy: true };

/** A verifier that believes tokens of the form `<subject>.<role>`. */
const believer: AuthenticateOptions = {
  mode: "on",
  verifier: {
    verify: async (token: string): Promise<Principal> => {
      const [subject, ...roles] = token.split(".");
      return { subject: subject!, roles: roles as Role[], clientId: undefined };
    },
  },
};

const sessionOf = (subject: string): WebSession => ({
  id: randomToken(), subject, roles: ["customer"], accessToken: `token-of-${subject}`, csrfToken: randomToken(), expiresAt: Date.now() + 60_000,
});

test("a signed-in web session counts against its person, from any address and with their token too; signed out, against the address", async () => {
  const redis = await connectTestRedis(cleanup);
  const store = redisSessionStore(redis, testPrefix("client-of"));
  const app = new Hono<WebSessionEnv & VerificationEnv>();
  app.use(webSession({ store, cookies: COOKIES, logger: createLogger("test", "silent") }));
  app.use(rateLimit(createRateLimiter({ perSecond: 3, prefix: testPrefix("client-of") }), clientOf(believer, true)));
  app.get("/", (c) => c.text("page"));
  const [laptop, phone] = [sessionOf("c-1"), sessionOf("c-1")];
  await store.save(laptop);
  await store.save(phone);
  const from = (address: string, headers: Record<string, string> = {}) =>
    app.request("/", { headers: { "x-forwarded-for": address, ...headers } });
  const cookie = (session: WebSession) => ({ cookie: `rentalnang-session=${session.id}` });

  const statuses = [];
  statuses.push((await from("198.51.100.1", cookie(laptop))).status);
  statuses.push((await from("198.51.100.2", cookie(phone))).status);
  statuses.push((await from("198.51.100.3", { authorization: "Bearer c-1.customer" })).status);
  statuses.push((await from("198.51.100.4", cookie(laptop))).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  // The person's count is not the address's: signed out, the same address is still served.
  expect((await from("198.51.100.1")).status).toBe(200);
  // Another person signed in at the same address has a count of their own.
  const other = sessionOf("c-2");
  await store.save(other);
  expect((await from("198.51.100.1", cookie(other))).status).toBe(200);
});
