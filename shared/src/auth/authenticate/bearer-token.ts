import { AuthError } from "../errors.ts";

// RFC 6750's b64token: what may follow "Bearer ".
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of an Authorization header.
 * @throws AuthError without a token (no header, or another scheme such as Basic), or with
 * one that cannot be a token at all.
 */
export function bearerToken(header: string | undefined): string {
  const [scheme, ...rest] = (header ?? "").trim().split(/\s+/);
  if (!scheme || scheme.toLowerCase() !== "bearer") {
    throw new AuthError("This needs an access token: send Authorization: Bearer <token>.", false);
  }
  const token = rest.join(" ");
  if (rest.length !== 1 || !B64TOKEN.test(token)) throw new AuthError("The token is malformed.");
  return token;
}
