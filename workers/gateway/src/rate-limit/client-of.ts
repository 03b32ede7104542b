import type { Context } from "hono";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { bearerToken } from "@rentalnang/shared/auth/authenticate/bearer-token";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { clientAddress } from "@rentalnang/shared/http/client-address";
import type { WebSessionEnv } from "../web/session/web-session.ts";

/** What `clientOf` leaves in the context: the outcome of verifying the request's bearer token. */
export type VerificationEnv = { Variables: { verification?: Promise<Principal> } };

/**
 * Who a request counts against: the subject of a valid bearer token (one person or service,
 * from wherever it calls), else the person of a signed-in web session (its subject, the same
 * count as their token's: the pages carry no Authorization header), else the client's address
 * (TRUST_PROXY: the one the proxy appended). The verification's outcome, good or bad, is kept
 * in the context, so the gateway's token check that follows reads it instead of verifying the
 * token again; a bad token counts against the address (or the signed-in person) and is
 * refused by that check.
 */
export function clientOf(auth: AuthenticateOptions, trustProxy: boolean) {
  return async function clientOfRequest(c: Context<VerificationEnv & WebSessionEnv>): Promise<string> {
    const header = c.req.header("Authorization");
    if (auth.mode !== "off" && header && /^bearer\s/i.test(header)) {
      const verification = Promise.resolve().then(() => auth.verifier.verify(bearerToken(header)));
      c.set("verification", verification);
      const principal = await verification.catch(() => undefined);
      if (principal) return `subject:${principal.subject}`;
    }
    const session = c.get("webSession");
    if (session) return `subject:${session.subject}`;
    return `address:${clientAddress(c, trustProxy)}`;
  };
}
