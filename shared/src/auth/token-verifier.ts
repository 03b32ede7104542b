import { errors, jwtVerify } from "jose";
import { principalFromClaims } from "./claims.ts";
import { AuthError, IdentityUnavailable } from "./errors.ts";
import type { Principal } from "./principal.ts";
import { createSigningKeys, KeysUnavailable } from "./signing-keys.ts";
import { VerificationCache } from "./verification-cache.ts";

/** Signature algorithms with a public verification key: an HMAC (or `none`) is never accepted. */
export type AsymmetricAlgorithm =
  | "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512" | "EdDSA" | "Ed25519";

const DEFAULT_ALGORITHMS: AsymmetricAlgorithm[] = ["RS256", "PS256", "ES256", "EdDSA"];
// The type says it already; this holds for callers that reach here around the type checker.
const ASYMMETRIC = /^((RS|PS|ES)(256|384|512)|EdDSA|Ed25519)$/;
/** Defaults for the JWKS cache: a rotated key is picked up at most this often... */
const JWKS_COOLDOWN_MS = 30_000;
/** ...and keys are refetched this long after the last fetch, to drop retired ones. */
const JWKS_MAX_AGE_MS = 10 * 60_000;
/** Good tokens remembered until they expire, so a busy caller's token is checked once. */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Dotted path of the roles claim: `roles`, `realm_access.roles`, … */
  rolesClaim?: string;
  /** The JWKS address when it is not the one discovery names. */
  jwksUrl?: string | undefined;
  clockToleranceSec?: number;
  algorithms?: AsymmetricAlgorithm[];
  jwksCooldownMs?: number;
  jwksMaxAgeMs?: number;
  /** Tokens whose principal is remembered until their `exp` (verification-cache.ts); 0 turns the cache off. */
  cacheSize?: number;
  /** The clock, in ms since the epoch: what `exp` and `nbf` are checked against (tests move it). */
  now?: () => number;
}

export interface TokenVerifier {
  /**
   * @throws AuthError (401) for every token that is not a good access token for this audience.
   * @throws IdentityUnavailable (503) while no signing keys could be loaded yet.
   */
  verify(token: string): Promise<Principal>;
}

export function createTokenVerifier({
  issuer,
  audience,
  rolesClaim = "roles",
  jwksUrl,
  clockToleranceSec = 30,
  algorithms = DEFAULT_ALGORITHMS,
  jwksCooldownMs = JWKS_COOLDOWN_MS,
  jwksMaxAgeMs = JWKS_MAX_AGE_MS,
  cacheSize = VERIFIED_TOKENS_KEPT,
  now = Date.now,
}: TokenVerifierOptions): TokenVerifier {
  const refused = algorithms.filter((alg) => !ASYMMETRIC.test(alg));
  if (refused.length > 0) throw new TypeError(`Only asymmetric signature algorithms may be accepted, not ${refused.join(", ")}`);
  const keys = createSigningKeys({ issuer, jwksUrl, cooldownMs: jwksCooldownMs, maxAgeMs: jwksMaxAgeMs });
  const cache = cacheSize > 0 ? new VerificationCache(cacheSize, now) : undefined;
  const issuers = [issuer.replace(/\/+$/, ""), `${issuer.replace(/\/+$/, "")}/`];

  return {
    async verify(token) {
      const cached = cache?.get(token);
      if (cached) return cached;
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: issuers,
          audience,
          algorithms,
          clockTolerance: clockToleranceSec,
          currentDate: new Date(now()),
          requiredClaims: ["exp"],
        }));
      } catch (error) {
        throw authFailure(error);
      }
      const principal = principalFromClaims(payload, rolesClaim);
      cache?.set(token, principal, payload.exp!);
      return principal;
    },
  };
}

/** A library's error as one fixed, showable sentence: the token and its claims are never echoed. */
function authFailure(error: unknown): Error {
  if (error instanceof KeysUnavailable) return new IdentityUnavailable();
  if (error instanceof errors.JWTExpired) return new AuthError("The token has expired.");
  if (error instanceof errors.JWTClaimValidationFailed) return new AuthError(claimMessage(error.claim, error.reason));
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError("The token's signing algorithm is not accepted.");
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthError("The token's signature is invalid.");
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthError("The token was signed with a key the issuer does not publish.");
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return new AuthError("The token is malformed.");
  return new AuthError("The token is invalid.");
}

function claimMessage(claim: string, reason: string): string {
  if (claim === "nbf") return "The token is not valid yet.";
  if (claim === "iat") return "The token was issued in the future.";
  if (claim === "iss") return "The token was issued by another issuer.";
  if (claim === "aud") return "The token is for another audience.";
  if (reason === "missing") return `The token has no ${claim} claim.`;
  return "The token's claims are invalid.";
}
