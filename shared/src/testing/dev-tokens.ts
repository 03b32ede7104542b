import { decodeJwt } from "jose";
import type { Role } from "../auth/principal.ts";
import { devToken } from "./identity.ts";

/**
 * Access tokens from an identity process's `POST /dev/token` (outside production only), one
 * per account and roles, kept while they have a good while left: tests and load runs ask for
 * the same people over and over. A `load-N` account is created on first use.
 */
export interface DevTokens {
  tokenFor(account: string, roles?: Role[]): Promise<string>;
}

/** A token is asked for again once less than this is left of it. */
const MARGIN_MS = 5 * 60_000;

export function devTokens(identityUrl: () => string): DevTokens {
  const kept = new Map<string, { token: Promise<string>; until: number }>();
  return {
    async tokenFor(account, roles) {
      const key = `${account}:${roles?.join(",") ?? ""}`;
      const hit = kept.get(key);
      if (hit && Date.now() < hit.until) return hit.token;
      const token = devToken(identityUrl(), account, roles).then((token) => {
        kept.set(key, { token: Promise.resolve(token), until: (decodeJwt(token).exp ?? 0) * 1000 - MARGIN_MS });
        return token;
      });
      kept.set(key, { token, until: Number.POSITIVE_INFINITY });
      token.catch(() => kept.delete(key));
      return token;
    },
  };
}
