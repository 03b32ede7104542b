import { Hono, type Context } from "hono";
import { errors, type Interaction, type InteractionResults, type Provider } from "oidc-provider";
import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { findAccount } from "../accounts/account-store.ts";
import type { Passwords } from "../accounts/passwords.ts";
import { nodeExchange } from "../provider/node-bridge.ts";
import type { AttemptLimiter } from "./attempt-limiter.ts";
import { clientAddress, peerAddress } from "@rentalnang/shared/http/client-address";
import { forgetPreviousAccount } from "./forget-previous-account.ts";
import { errorPage, pageText, signInPage, tooManyAttempts } from "./sign-in-page.ts";
import { fill, SIGN_IN_TEXT, signInLocale, type SignInLocale } from "./sign-in-text.ts";

export interface SignInDeps {
  provider: Provider;
  db: Database;
  passwords: Passwords;
  /** Failed sign-ins, counted per account and per address (an address may be many people behind one NAT). */
  limits: { account: AttemptLimiter; address: AttemptLimiter };
  /** Behind a proxy (TRUST_PROXY=on): the address is the one it forwards. */
  trustProxy: boolean;
  logger: Logger;
}

/**
 * oidc-provider's interaction helpers read its cookies off a Node request: one without the
 * body, which stays for this app to parse.
 */
const interactionOf = (c: Context) => nodeExchange(new Request(c.req.url, { method: c.req.method, headers: c.req.raw.headers }), peerAddress(c));

/**
 * The provider's interactions, served by this app: the sign-in page (login prompt), the
 * password check with its attempt limits, and the way out. Consent is never asked
 * (provider/auto-consent.ts).
 */
export function signInRouter({ provider, db, passwords, limits, trustProxy, logger }: SignInDeps) {
  const app = new Hono();
  /** Records the outcome and goes on with the authorization; `then` runs once it is recorded. */
  const finish = async (c: Context, result: InteractionResults, then = async () => {}) => {
    const { req, res } = interactionOf(c);
    const next = await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false });
    await then();
    return c.redirect(next, 303);
  };

  app.get("/interaction/:uid", async (c) => {
    const { locale, refused } = await signingIn(provider, c);
    return refused ?? c.html(pageText(signInPage({ uid: c.req.param("uid"), locale })));
  });

  app.post("/interaction/:uid/login", async (c) => {
    // No password is checked outside a pending sign-in.
    const { locale, refused, previous } = await signingIn(provider, c);
    if (refused) return refused;
    const uid = c.req.param("uid");
    const form = await c.req.parseBody();
    const account = typeof form.account === "string" ? form.account.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const address = clientAddress(c, trustProxy);
    const wait = Math.max(await limits.account.retryAfter(account), await limits.address.retryAfter(address));
    if (wait > 0) {
      logger.warn({ account, address, wait }, "sign-in refused: too many failed attempts");
      const page = signInPage({ uid, locale, account, error: tooManyAttempts(locale, wait) });
      return c.html(pageText(page), 429, { "Retry-After": String(wait) });
    }
    const found = account ? await findAccount(db, account) : undefined;
    if (!(await passwords.verify(password, found?.passwordHash)) || !found) {
      await Promise.all([limits.account.fail(account), limits.address.fail(address)]);
      logger.info({ account, address }, "sign-in failed");
      return c.html(pageText(signInPage({ uid, locale, account, error: SIGN_IN_TEXT[locale].wrong })), 401);
    }
    await limits.account.reset(account);
    return finish(c, { login: { accountId: found.id } }, () => forgetPreviousAccount(provider, previous, found.id));
  });

  app.get("/interaction/:uid/abort", (c) => finish(c, { error: "access_denied", error_description: "The sign-in was cancelled." }));

  app.onError((error, c) => {
    const locale = signInLocale(undefined, c.req.header("Accept-Language"));
    if (error instanceof errors.SessionNotFound) {
      return c.html(errorPage(SIGN_IN_TEXT[locale].expired, locale), 400);
    }
    logger.error({ err: error }, "sign-in failed with an error");
    return c.html(errorPage(SIGN_IN_TEXT[locale].unavailable, locale), 503);
  });
  return app;
}

/**
 * The pending sign-in of the browser's interaction cookie, in the language its authorization
 * request asked for (`ui_locales`) or the browser's; `refused` is the error page when this
 * page is not that sign-in's; `previous`, whoever the browser is signed in as already.
 */
async function signingIn(provider: Provider, c: Context): Promise<{ locale: SignInLocale; refused?: Response; previous?: Interaction["session"] }> {
  const { req, res } = interactionOf(c);
  const details = await provider.interactionDetails(req, res);
  const locale = signInLocale(details.params.ui_locales, c.req.header("Accept-Language"));
  const t = SIGN_IN_TEXT[locale];
  if (details.uid !== c.req.param("uid")) return { locale, refused: c.html(errorPage(t.outOfDate, locale), 400) };
  if (details.prompt.name !== "login") return { locale, refused: c.html(errorPage(fill(t.unexpectedStep, { step: details.prompt.name }), locale), 400) };
  return { locale, previous: details.session };
}
