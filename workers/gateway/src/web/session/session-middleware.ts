import type { MiddlewareHandler } from "hono";
import { Forbidden } from "@rentalnang/shared/auth/errors";
import type { Role } from "@rentalnang/shared/auth/principal";
import type { Logger } from "@rentalnang/shared/log/logger";
import { returnPathOf } from "./return-path.ts";
import { cookieJar, SESSION_COOKIE, type CookieSecurity } from "./session-cookie.ts";
import type { SessionStore } from "./session-store.ts";
import type { WebSessionEnv } from "./web-session.ts";

/** Where pages send a person who is not signed in (`?return=<path>`), and where they sign out. */
export const SIGN_IN_PATH = "/auth/signin";
export const SIGN_OUT_PATH = "/signout";

export interface WebSessionOptions {
  store: SessionStore;
  cookies: CookieSecurity;
  /** Told when the store cannot be read (Redis away). */
  logger?: Logger;
}

/**
 * Reads the session cookie and puts the live session in `c.var.webSession`; without a cookie,
 * or with one whose session ended (signed out, or its access token expired), it stays
 * undefined and the stale cookie is cleared. Requests without the cookie (API clients) cost
 * no lookup. While the store cannot be read the request goes on signed out, its cookie kept:
 * the API and the static files still answer, and pages send the person to a sign-in that
 * says it is not possible right now.
 */
export function webSession({ store, cookies, logger }: WebSessionOptions): MiddlewareHandler<WebSessionEnv> {
  return async function readWebSession(c, next) {
    const jar = cookieJar(c, cookies);
    const id = jar.read(SESSION_COOKIE);
    if (id) {
      const session = await store.find(id).catch((error: unknown) => {
        logger?.warn({ err: error }, "web session: the session store cannot be read");
        return null;
      });
      if (session) c.set("webSession", session);
      else if (session === undefined) jar.clear(SESSION_COOKIE);
    }
    await next();
  };
}

/**
 * Lets through a signed-in person holding any of `roles` (any signed-in person without
 * roles). Not signed in: 303 to the sign-in, which returns to this page (GET; after an unsafe
 * request, to the page it came from is unknown, so home). Signed in without the role: 403.
 */
export function requireWebSession(roles: Role[] = []): MiddlewareHandler<WebSessionEnv> {
  return async function requireSignedIn(c, next) {
    const session = c.var.webSession;
    if (!session) {
      const back = c.req.method === "GET" ? returnPathOf(c.req.url) : "/";
      return c.redirect(`${SIGN_IN_PATH}?${new URLSearchParams({ return: back })}`, 303);
    }
    if (roles.length > 0 && !roles.some((role) => session.roles.includes(role))) {
      throw new Forbidden(`This page needs ${roles.length === 1 ? `the role ${roles[0]}` : `one of the roles ${roles.join(", ")}`}.`);
    }
    await next();
  };
}
