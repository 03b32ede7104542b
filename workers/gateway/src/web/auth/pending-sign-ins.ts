import { z } from "zod";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { pendingSignInKey } from "@rentalnang/shared/topology/redis-keys";

/** How long a person may take on identity's sign-in page before the sign-in must start again. */
export const SIGN_IN_TTL_SECONDS = 10 * 60;

/** What the gateway remembers of a sign-in between the redirect to identity and the callback. */
export const PendingSignIn = z.object({
  /** PKCE (RFC 7636): the verifier whose S256 challenge went with the authorization request. */
  codeVerifier: z.string(),
  /** The ID token must carry it back (OpenID Connect, replay protection). */
  nonce: z.string(),
  /** The page to land on afterwards: a same-origin path (safeReturnPath). */
  returnTo: z.string(),
});
export type PendingSignIn = z.infer<typeof PendingSignIn>;

export interface PendingSignIns {
  put(state: string, pending: PendingSignIn): Promise<void>;
  /** The sign-in of this state, at most once: a second callback with it finds nothing. */
  take(state: string): Promise<PendingSignIn | undefined>;
}

/** Sign-ins under way in Redis (`pendingSignInKey`), so the callback may reach any gateway replica. */
export function redisPendingSignIns(redis: Redis, prefix: string): PendingSignIns {
  return {
    async put(state, pending) {
      await redis.set(pendingSignInKey(prefix, state), JSON.stringify(pending), "EX", SIGN_IN_TTL_SECONDS);
    },
    async take(state) {
      const text = await redis.getdel(pendingSignInKey(prefix, state));
      if (!text) return undefined;
      const parsed = PendingSignIn.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    },
  };
}
