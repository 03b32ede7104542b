import { Hono, type Context } from "hono";
import * as oidc from "openid-client";
import { AuthError } from "@rentalnang/shared/auth/errors";
import type { TokenVerifier } from "@rentalnang/shared/auth/token-verifier";
import { problemJson } from "@rentalnang/shared/http/problem";
import type { Logger } from "@rentalnang/shared/log/logger";
import { tokensMatch } from "../session/csrf.ts";
import { HOME_PATH, safeReturnPath } from "../session/return-path.ts";
import { cookieJar, SESSION_COOKIE, SIGN_IN_COOKIE, type CookieSecurity } from "../session/session-cookie.ts";
import { SIGN_IN_PATH, SIGN_OUT_PATH } from "../session/session-middleware.ts";
import { randomToken, type SessionStore } from "../session/session-store.ts";
import type { WebSessionEnv } from "../session/web-session.ts";
import { CALLBACK_PATH, IdentityUnreachable, type IdentityClient } from "./identity-client.ts";
import { SIGN_IN_TTL_SECONDS, type PendingSignIns } from "./pending-sign-ins.ts";
import { signInProblemPage, type SignInProblem } from "./sign-in-problem-page.ts";
import { localeOf } from "../i18n/locale.ts";

export interface WebAuthDeps {
  identity: IdentityClient;
  pending: PendingSignIns;
  sessions: SessionStore;
  cookies: CookieSecurity;
  /** Checks the access token a sign-in brought back and reads its roles, as every worker will. */
  verifier: TokenVerifier;
  logger: Logger;
}

type WebContext = Context<WebSessionEnv>;

/** Seconds identity is given before a browser is told to try signing in again. */
const RETRY_AFTER_SECONDS = 5;
const STATUS: Record<SignInProblem, 400 | 503> = { unavailable: 503, expired: 400, refused: 400 };

/**
 * Signing in to the web pages, the gateway being identity's `gateway` client (authorization
 * code + PKCE): `GET /auth/signin?return=<path>` sends the browser to identity's sign-in
 * page, `GET /auth/callback` exchanges the code over the back channel and starts the web
 * session, `/signout` (POST from the pages' button, or GET) ends it. Open to anyone: these
 * routes are how a person gets a session. The browser only ever holds the session's id.
 */
export function webAuthRoutes(deps: WebAuthDeps) {
  const app = new Hono<WebSessionEnv>();
  app.get(SIGN_IN_PATH, (c) => startSignIn(deps, c));
  app.get(CALLBACK_PATH, (c) => finishSignIn(deps, c));
  app.on(["GET", "POST"], SIGN_OUT_PATH, (c) => signOut(deps, c));
  for (const path of [SIGN_IN_PATH, CALLBACK_PATH, SIGN_OUT_PATH]) {
    const allow = path === SIGN_OUT_PATH ? "GET, POST" : "GET";
    app.all(path, (c) => problemJson(405, "Method Not Allowed", `${c.req.method} is not allowed on ${path}.`, {}, { Allow: allow }));
  }
  return app;
}

/** A new sign-in: its secrets kept in Redis under its state, the state in this browser's cookie, and off to identity. */
async function startSignIn({ identity, pending, cookies, logger }: WebAuthDeps, c: WebContext) {
  c.header("Cache-Control", "no-store");
  const returnTo = safeReturnPath(c.req.query("return"));
  const [state, nonce, codeVerifier] = [oidc.randomState(), oidc.randomNonce(), oidc.randomPKCECodeVerifier()];
  try {
    const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
    const url = await identity.authorizationUrl({ state, nonce, codeChallenge, locale: localeOf(c) });
    await pending.put(state, { codeVerifier, nonce, returnTo });
    cookieJar(c, cookies).write(SIGN_IN_COOKIE, state, SIGN_IN_TTL_SECONDS);
    return c.redirect(url, 303);
  } catch (error) {
    logger.warn({ err: error }, "web sign-in: identity or the session store is unavailable");
    return problemPage(c, "unavailable", returnTo);
  }
}

/**
 * Identity's answer: only the sign-in this browser began may finish here (its state is in
 * the browser's cookie and, once, in Redis), so no one else's code and no replay. The code is
 * exchanged with the PKCE verifier, the ID token checked, the access token verified as every
 * worker verifies it (its roles are the session's), and the session started.
 */
async function finishSignIn(deps: WebAuthDeps, c: WebContext) {
  c.header("Cache-Control", "no-store");
  const jar = cookieJar(c, deps.cookies);
  const state = c.req.query("state");
  const began = jar.read(SIGN_IN_COOKIE);
  jar.clear(SIGN_IN_COOKIE);
  if (!state || !began || !tokensMatch(state, began)) return problemPage(c, "expired");
  try {
    const found = await deps.pending.take(state);
    if (!found) return problemPage(c, "expired");
    const signedIn = await deps.identity.exchange(new URL(c.req.url).search, { state, nonce: found.nonce, codeVerifier: found.codeVerifier });
    const principal = await deps.verifier.verify(signedIn.accessToken);
    if (principal.subject !== signedIn.subject) throw new AuthError("The access token and the ID token name different accounts.");
    const session = {
      id: randomToken(), subject: principal.subject, roles: principal.roles, accessToken: signedIn.accessToken,
      csrfToken: randomToken(), expiresAt: Date.now() + signedIn.expiresIn * 1000,
    };
    await deps.sessions.save(session);
    // Whoever was signed in before in this browser is signed out: two sessions never mix.
    const previous = c.var.webSession;
    if (previous) await deps.sessions.end(previous.id);
    jar.write(SESSION_COOKIE, session.id, signedIn.expiresIn);
    deps.logger.info({ subject: session.subject, roles: session.roles }, "web sign-in");
    return c.redirect(found.returnTo, 303);
  } catch (error) {
    const refused = !(error instanceof IdentityUnreachable) && isRefusal(error);
    deps.logger.warn({ err: error }, refused ? "web sign-in refused" : "web sign-in: identity or the session store is unavailable");
    return problemPage(c, refused ? "refused" : "unavailable");
  }
}

/** Ends the session here and for every replica (Redis), and clears the cookie. */
async function signOut({ sessions, cookies }: WebAuthDeps, c: WebContext) {
  const session = c.var.webSession;
  if (session) await sessions.end(session.id);
  cookieJar(c, cookies).clear(SESSION_COOKIE);
  c.header("Cache-Control", "no-store");
  return c.redirect(HOME_PATH, 303);
}

function problemPage(c: WebContext, problem: SignInProblem, returnTo = HOME_PATH) {
  const page = signInProblemPage(problem, localeOf(c), `${SIGN_IN_PATH}?${new URLSearchParams({ return: returnTo })}`);
  return c.html(page, STATUS[problem], problem === "unavailable" ? { "Retry-After": String(RETRY_AFTER_SECONDS) } : {});
}

/** An answer that did not check out (a refused code, a bad token, an error from identity), not an outage. */
function isRefusal(error: unknown): boolean {
  return error instanceof AuthError || error instanceof oidc.ClientError || error instanceof oidc.ResponseBodyError || error instanceof oidc.AuthorizationResponseError;
}
