import { Hono, type Context } from "hono";
import { errors, type InteractionResults, type Provider } from "oidc-provider";
import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { findAccount } from "../accounts/account-store.ts";
import type { Passwords } from "../accounts/passwords.ts";
import { nodeExchange } from "../provider/node-bridge.ts";
import type { AttemptLimiter } from "./attempt-limiter.ts";
import { clientAddress, peerAddress } from "@rentalnang/shared/http/client-address";
import { errorPage, pageText, signInPage } from "./sign-in-page.ts";

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

const WRONG = "Wrong account or password.";

/** oidc-provider's interaction helpers read its cookies off a Node request. */
const interactionOf = (c: Context) => nodeExchange(c.req.raw, undefined, peerAddress(c));

/**
 * The provider's interactions, served by this app: the sign-in page (login prompt), the
 * password check with its attempt limits, and the way out. Consent is never asked
 * (provider/auto-consent.ts).
 */
export function signInRouter({ provider, db, passwords, limits, trustProxy, logger }: SignInDeps) {
  const app = new Hono();
  const finish = async (c: Context, result: InteractionResults) => {
    const { req, res } = interactionOf(c);
    return c.redirect(await provider.interactionResult(req, res, result, { mergeWithLastSubmission: false }), 303);
  };

  /** The error page when this is not the pending sign-in of the browser's interaction cookie. */
  const notSigningIn = async (c: Context) => {
    const { req, res } = interactionOf(c);
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== c.req.param("uid")) return c.html(errorPage("This sign-in page is out of date."), 400);
    if (details.prompt.name !== "login") return c.html(errorPage(`Unexpected step "${details.prompt.name}".`), 400);
    return undefined;
  };

  app.get("/interaction/:uid", async (c) => (await notSigningIn(c)) ?? c.html(pageText(signInPage({ uid: c.req.param("uid") }))));

  app.post("/interaction/:uid/login", async (c) => {
    // No password is checked outside a pending sign-in.
    const refused = await notSigningIn(c);
    if (refused) return refused;
    const uid = c.req.param("uid");
    const form = await c.req.parseBody();
    const account = typeof form.account === "string" ? form.account.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const address = clientAddress(c, trustProxy);
    const wait = Math.max(await limits.account.retryAfter(account), await limits.address.retryAfter(address));
    if (wait > 0) {
      logger.warn({ account, address, wait }, "sign-in refused: too many failed attempts");
      const page = signInPage({ uid, account, error: `Too many failed sign-ins. Try again in ${wait} seconds.` });
      return c.html(pageText(page), 429, { "Retry-After": String(wait) });
    }
    const found = account ? await findAccount(db, account) : undefined;
    if (!(await passwords.verify(password, found?.passwordHash)) || !found) {
      await Promise.all([limits.account.fail(account), limits.address.fail(address)]);
      logger.info({ account, address }, "sign-in failed");
      return c.html(pageText(signInPage({ uid, account, error: WRONG })), 401);
    }
    await limits.account.reset(account);
    return finish(c, { login: { accountId: found.id } });
  });

  app.get("/interaction/:uid/abort", (c) => finish(c, { error: "access_denied", error_description: "The sign-in was cancelled." }));

  app.onError((error, c) => {
    if (error instanceof errors.SessionNotFound) {
      return c.html(errorPage("This sign-in has expired or was already used."), 400);
    }
    logger.error({ err: error }, "sign-in failed with an error");
    return c.html(errorPage("Signing in is not possible right now. Please try again shortly."), 503);
  });
  return app;
}
