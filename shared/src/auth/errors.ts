import { HttpProblem } from "../http/problem.ts";

/** The realm every challenge names, so a client knows which credentials are asked for. */
const REALM = "rentalnang";

/**
 * A request without a usable bearer token: 401 with an RFC 6750 challenge. `message` is one
 * of a few fixed sentences, safe to show; it never repeats the token or a library's error.
 * `tokenSent` says whether a token came with the request (the challenge then says
 * `invalid_token`; without one it names only the realm).
 */
export class AuthError extends HttpProblem {
  override name = "AuthError";
  constructor(message: string, readonly tokenSent = true) {
    super(401, "Unauthorized", message, {}, { "WWW-Authenticate": challenge(message, tokenSent) });
  }
}

function challenge(message: string, tokenSent: boolean): string {
  if (!tokenSent) return `Bearer realm="${REALM}"`;
  // error_description may not carry quotes or backslashes (RFC 6750, section 3).
  const description = message.replace(/["\\]/g, "'");
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`;
}

/** Seconds a client is told to wait when no signing keys could be loaded yet. */
const KEYS_RETRY_AFTER_SEC = 5;

/**
 * The issuer has never been reachable since this process started, so no signing keys are
 * known and a token cannot be judged either way: 503, not 401, so that a client keeps its
 * token and retries instead of signing in again.
 */
export class IdentityUnavailable extends HttpProblem {
  override name = "IdentityUnavailable";
  constructor() {
    super(503, "Service Unavailable", "The identity provider cannot be reached to check the token; try again shortly.", {}, {
      "Retry-After": String(KEYS_RETRY_AFTER_SEC),
    });
  }
}

/** A caller whose token is good but whose role or identity does not allow this action. */
export class Forbidden extends HttpProblem {
  override name = "Forbidden";
  constructor(detail: string) {
    super(403, "Forbidden", detail);
  }
}
