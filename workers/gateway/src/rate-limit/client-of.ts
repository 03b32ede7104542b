import type { Context } from "hono";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { bearerToken } from "@rentalnang/shared/auth/authenticate/bearer-token";
import { clientAddress } from "@rentalnang/shared/http/client-address";

/**
 * Who a request counts against: the subject of a valid bearer token (one person or service,
 * from wherever it calls), else the client's address (TRUST_PROXY: the one the proxy
 * appended). A valid token's principal is kept in the context, so the gateway's token check
 * that follows does not verify it again; a bad token counts against the address and is
 * refused by that check.
 */
export function clientOf(auth: AuthenticateOptions, trustProxy: boolean) {
  return async function clientOfRequest(c: Context): Promise<string> {
    const header = c.req.header("Authorization");
    if (auth.mode !== "off" && header && /^bearer\s/i.test(header)) {
      const principal = await Promise.resolve().then(() => auth.verifier.verify(bearerToken(header))).catch(() => undefined);
      if (principal) {
        c.set("principal", principal);
        return `subject:${principal.subject}`;
      }
    }
    return `address:${clientAddress(c, trustProxy)}`;
  };
}
