import type { AsymmetricSigningAlgorithm, ResourceServer } from "oidc-provider";

/** How long an access token lives, in seconds. */
export const ACCESS_TOKEN_TTL_S = 60 * 60;

/**
 * The resource indicator (RFC 8707) that names this system's API: the audience itself when it
 * is an absolute URI, else `urn:<audience>` (a resource indicator must be an absolute URI,
 * the default audience "rentalnang" is not). Clients need not send it: it is the default.
 */
export const resourceIndicator = (audience: string) => (URL.canParse(audience) ? audience : `urn:${audience}`);

/** Access tokens for the API are JWTs for `audience`, signed with the provider's key. */
export const resourceServerInfo = (audience: string, alg: AsymmetricSigningAlgorithm): ResourceServer => ({
  scope: "",
  audience,
  accessTokenTTL: ACCESS_TOKEN_TTL_S,
  accessTokenFormat: "jwt",
  jwt: { sign: { alg } },
});
