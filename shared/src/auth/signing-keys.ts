import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, type JWTVerifyGetKey, type RemoteJWKSet } from "jose";
import { discover, IDENTITY_TIMEOUT_MS, IssuerUnreachable, reason } from "./discovery.ts";

export interface SigningKeysOptions {
  issuer: string;
  /** Skips discovery when set. */
  jwksUrl?: string | undefined;
  /** After a successful JWKS fetch, how long before an unknown `kid` may cause another. */
  cooldownMs: number;
  /** How long fetched keys count as fresh; past it the next verification refetches. */
  maxAgeMs: number;
}

/**
 * No signing keys have been loaded yet and the issuer cannot be reached: a token cannot be
 * judged either way.
 */
export class KeysUnavailable extends Error {
  override name = "KeysUnavailable";
}

/**
 * The issuer's signing keys, as a key resolver for jose's `jwtVerify`. Nothing is fetched
 * before the first token arrives, so a process starts while identity is down; discovery is
 * retried on a later token until it succeeds. Caching and the rate of refetches on an unknown
 * `kid` are jose's (`cacheMaxAge`, `cooldownDuration`). One thing is added: when the keys are
 * past their age and the issuer cannot be reached, the last keys keep working (tokens
 * already issued stay valid while identity is down), and the issuer is tried again after
 * `cooldownMs` rather than on every request.
 */
export function createSigningKeys({ issuer, jwksUrl, cooldownMs, maxAgeMs }: SigningKeysOptions): JWTVerifyGetKey {
  let remote: RemoteJWKSet | undefined;
  let locating: Promise<RemoteJWKSet> | undefined;
  let stale: { until: number; keys: JWTVerifyGetKey } | undefined;

  const located = async (): Promise<RemoteJWKSet> => {
    const url = new URL(jwksUrl ?? (await discover(issuer)).jwks_uri);
    remote = createRemoteJWKSet(url, {
      cooldownDuration: cooldownMs,
      cacheMaxAge: maxAgeMs,
      timeoutDuration: IDENTITY_TIMEOUT_MS,
      [customFetch]: fetchKeys,
    });
    return remote;
  };

  const remoteKeys = async (): Promise<RemoteJWKSet> => {
    if (remote) return remote;
    // Concurrent first tokens share one discovery; a failed one is forgotten, so the next retries.
    locating ??= located().finally(() => (locating = undefined));
    try {
      return await locating;
    } catch (error) {
      throw new KeysUnavailable(error instanceof IssuerUnreachable ? error.message : reason(error), { cause: error });
    }
  };

  return async function signingKey(header, token) {
    const keys = await remoteKeys();
    if (stale && Date.now() < stale.until) return stale.keys(header, token);
    try {
      return await keys(header, token);
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      const last = keys.jwks();
      if (!last) throw new KeysUnavailable(reason(error), { cause: error });
      stale = { until: Date.now() + cooldownMs, keys: createLocalJWKSet(last) };
      return stale.keys(header, token);
    }
  };
}

/** jose's fetch, with a failure to reach the issuer told apart from a bad key. */
async function fetchKeys(url: string, options: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, options);
  } catch (cause) {
    throw new KeysUnavailable(`The JWKS at ${url} could not be fetched (${reason(cause)}).`, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new KeysUnavailable(`The JWKS at ${url} answered ${response.status}.`);
  }
  return response;
}

function isFetchFailure(error: unknown): boolean {
  return error instanceof KeysUnavailable
    || error instanceof errors.JWKSTimeout
    || error instanceof errors.JWKSInvalid
    // jose's plain JOSEError here means the JWKS answer was not JSON.
    || (error instanceof errors.JOSEError && error.code === errors.JOSEError.code);
}
