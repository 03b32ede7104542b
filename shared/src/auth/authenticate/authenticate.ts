import type { Context, MiddlewareHandler } from "hono";
import { ANONYMOUS, type Principal } from "../principal.ts";
import type { TokenVerifier } from "../token-verifier.ts";
import { bearerToken } from "./bearer-token.ts";

/** What `authenticate` adds to a request's context. */
export type AuthEnv = { Variables: { principal: Principal } };

/** AUTH: "on" checks every token; "off" is the lab mode, refused in production by config. */
export type AuthMode = "on" | "off";

export interface AuthenticateOptions {
  verifier: TokenVerifier;
  mode?: AuthMode;
}

/**
 * Puts the caller's principal in the context (`principalOf(c)`), from the request's
 * `Authorization: Bearer` token. A missing or bad token throws AuthError, which the service
 * frame's onError answers as a 401 problem with a `WWW-Authenticate: Bearer` challenge; no
 * signing keys loaded yet throws IdentityUnavailable (503, Retry-After). Routes registered on
 * the app before this middleware (the frame's /healthz, /readyz, /openapi.json) never reach
 * it and stay open. With mode "off" every request is the anonymous principal with every role.
 */
export function authenticate({ verifier, mode = "on" }: AuthenticateOptions): MiddlewareHandler<AuthEnv> {
  return async function authenticateRequest(c, next) {
    const principal = mode === "off" ? ANONYMOUS : await verifier.verify(bearerToken(c.req.header("Authorization")));
    c.set("principal", principal);
    await next();
  };
}

/**
 * The caller of a request that went through `authenticate`.
 * @throws Error when the route is not behind `authenticate`: a wiring mistake, refused loudly.
 */
export function principalOf(c: Context): Principal {
  const principal = c.get("principal") as Principal | undefined;
  if (!principal) throw new Error(`${c.req.method} ${c.req.path} is not behind authenticate(), so it has no principal`);
  return principal;
}
