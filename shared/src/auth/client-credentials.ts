import { z } from "zod";
import { discover, IDENTITY_TIMEOUT_MS, IssuerUnreachable, reason } from "./discovery.ts";

export interface ClientCredentialsOptions {
  /** The token endpoint; without it, the one the issuer's discovery document names. */
  tokenUrl?: string | undefined;
  issuer?: string | undefined;
  clientId: string;
  clientSecret: string;
  /** Sent as `audience` (Auth0 and others name the API this way). */
  audience?: string | undefined;
  /** Sent as `resource` (RFC 8707 resource indicator, as oidc-provider expects). */
  resource?: string | undefined;
  /** Sent as `scope` (Entra ID asks for `<api>/.default` to name the API). */
  scope?: string | undefined;
}

export interface ClientCredentials {
  /**
   * An access token for this client: the cached one while it has time left, else a new one.
   * Concurrent callers share one request.
   * @throws IssuerUnreachable when the identity provider cannot be reached.
   * @throws TokenRequestRefused when it answers without a token (wrong secret, unknown client).
   */
  token(): Promise<string>;
}

/** The token endpoint answered, but with no token for this client. */
export class TokenRequestRefused extends Error {
  override name = "TokenRequestRefused";
}

/** A token is replaced this long before it expires, or at 90 % of its life when that is sooner. */
const REFRESH_MARGIN_MS = 30_000;
const REFRESH_SHARE = 0.1;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().nonnegative().optional(),
});

/** A service's own identity (OAuth 2.0 client credentials grant), its token cached until shortly before expiry. */
export function createClientCredentials(options: ClientCredentialsOptions): ClientCredentials {
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let endpoint: string | undefined;

  const fetchToken = async (): Promise<string> => {
    endpoint ??= await tokenEndpoint(options);
    const started = Date.now();
    const { access_token, expires_in = 0 } = await requestToken(endpoint, options);
    const lifeMs = expires_in * 1000;
    cached = { token: access_token, refreshAt: started + lifeMs - Math.min(REFRESH_MARGIN_MS, lifeMs * REFRESH_SHARE) };
    return access_token;
  };

  return {
    async token() {
      if (cached && Date.now() < cached.refreshAt) return cached.token;
      pending ??= fetchToken().finally(() => (pending = undefined));
      return pending;
    },
  };
}

async function tokenEndpoint({ tokenUrl, issuer }: ClientCredentialsOptions): Promise<string> {
  if (tokenUrl) return tokenUrl;
  if (!issuer) throw new TypeError("createClientCredentials needs a tokenUrl or an issuer");
  const { token_endpoint } = await discover(issuer);
  if (!token_endpoint) throw new IssuerUnreachable(`The identity provider at ${issuer} names no token endpoint.`);
  return token_endpoint;
}

async function requestToken(url: string, { clientId, clientSecret, audience, resource, scope }: ClientCredentialsOptions) {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (audience) form.set("audience", audience);
  if (resource) form.set("resource", resource);
  if (scope) form.set("scope", scope);
  // client_secret_basic: both parts form-encoded first (RFC 6749, section 2.3.1).
  const basic = btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: form,
      signal: AbortSignal.timeout(IDENTITY_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new IssuerUnreachable(`The token endpoint ${url} could not be reached (${reason(cause)}).`, { cause });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 500) throw new IssuerUnreachable(`The token endpoint ${url} answered ${response.status}.`);
  if (!response.ok) {
    const error = (body as { error?: unknown } | undefined)?.error;
    throw new TokenRequestRefused(`The token endpoint ${url} refused client ${clientId}: ${response.status}${typeof error === "string" ? ` ${error}` : ""}.`);
  }
  const parsed = TokenResponse.safeParse(body);
  if (!parsed.success) throw new TokenRequestRefused(`The token endpoint ${url} answered without an access token.`);
  return parsed.data;
}
