import type { Context } from "hono";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { bearerToken } from "@rentalnang/shared/auth/authenticate/bearer-token";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { clientAddress } from "@rentalnang/shared/http/client-address";

/** What `clientOf` leaves in the context: the outcome of verifying the request's bearer token. */
export type VerificationEnv = { Variables: { verification?: Promise<Principal> } };

/**
 * Who a request counts against: the subject of a valid bearer token (one person or service,
 * from wherever it calls), else the client's address (TRUST_PROXY: the one the proxy
 * appended). The verification's outcome, good or bad, is kept in the context, so the
 * gateway's token check that follows reads it instead of verifying the token again; a bad
 * token counts against the address and is refused by that check.
 */
export function clientOf(auth: AuthenticateOptions, trustProxy: boolean) {
  return async function clientOfRequest(c: Context<VerificationEnv>): Promise<string> {
    const header = c.req.header("Authorization");
    if (auth.mode !== "off" && header && /^bearer\s/i.test(header)) {
      const verification = Promise.resolve().then(() => auth.verifier.verify(bearerToken(header)));
      c.set("verification", verification);
      const principal = await verification.catch(() => undefined);
      if (principal) return `subject:${principal.subject}`;
    }
    return `address:${clientAddress(c, trustProxy)}`;
  };
}
