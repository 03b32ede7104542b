import type { AuthenticateOptions, AuthMode } from "./authenticate/authenticate.ts";
import { AuthError } from "./errors.ts";
import { createTokenVerifier } from "./token-verifier.ts";

/** The parsed `authFields` of a process's config. */
export interface AuthConfig {
  OIDC_ISSUER: string;
  OIDC_AUDIENCE: string;
  OIDC_ROLES_CLAIM: string;
  OIDC_JWKS_URL?: string | undefined;
  AUTH: AuthMode;
}

/** Lab mode never asks a verifier; one that did would be a wiring mistake, refused as a bad token. */
const NO_VERIFIER = {
  verify: async (): Promise<never> => {
    throw new AuthError("This process checks no tokens.");
  },
};

/** AUTH=off: every request is the anonymous principal (tests of apps built in-process use it too). */
export const LAB_MODE: AuthenticateOptions = Object.freeze({ mode: "off", verifier: NO_VERIFIER });

/** What `authenticate` needs, from a process's config: the issuer's verifier, or the lab mode. */
export function authenticationFrom(config: AuthConfig): AuthenticateOptions {
  if (config.AUTH === "off") return LAB_MODE;
  const verifier = createTokenVerifier({
    issuer: config.OIDC_ISSUER,
    audience: config.OIDC_AUDIENCE,
    rolesClaim: config.OIDC_ROLES_CLAIM,
    jwksUrl: config.OIDC_JWKS_URL,
  });
  return { mode: "on", verifier };
}
