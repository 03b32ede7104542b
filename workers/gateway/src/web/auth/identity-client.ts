import * as oidc from "openid-client";
import { IDENTITY_TIMEOUT_MS } from "@rentalnang/shared/auth/discovery";
import type { Locale } from "../i18n/locale.ts";

/** The path identity sends the browser back to with a code (identity's `gateway` client allows only it). */
export const CALLBACK_PATH = "/auth/callback";

export interface IdentityClientOptions {
  /** OIDC_ISSUER: whose discovery document names the endpoints. */
  issuer: string;
  /** OIDC_JWKS_URL: where to fetch the keys instead of the discovery document's jwks_uri. */
  jwksUrl?: string | undefined;
  /** OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: the gateway's own client at the issuer. */
  clientId: string;
  clientSecret: string;
  /** PUBLIC_URL: the callback is `${publicUrl}/auth/callback`. */
  publicUrl: string;
}

/** What a sign-in asks identity for, and what it must find again in the answer. */
export interface SignInRequest {
  state: string;
  nonce: string;
  codeChallenge: string;
  locale: Locale;
}

/** The outcome of a code exchange the ID token of which checked out. */
export interface SignedIn {
  accessToken: string;
  /** Seconds the access token lives, as the token endpoint said. */
  expiresIn: number;
  /** The ID token's subject. */
  subject: string;
}

/** Identity could not be reached or answered something unusable: the sign-in cannot go on now. */
export class IdentityUnreachable extends Error {
  override name = "IdentityUnreachable";
}

/**
 * The gateway as an OpenID Connect client of identity (openid-client): the authorization
 * request (code, PKCE S256, state, nonce, `prompt=login` so that every sign-in asks for the
 * password, `ui_locales`), and the back-channel code exchange with the client's secret whose
 * ID token is checked (signature, issuer, audience, expiry, nonce). The discovery document is
 * read on first use and again after a failure, so the gateway starts while identity is down.
 */
export function identityClient(options: IdentityClientOptions) {
  let configuration: Promise<oidc.Configuration> | undefined;
  const configured = () => {
    configuration ??= discover(options).catch((error: unknown) => {
      configuration = undefined;
      throw new IdentityUnreachable(`The identity provider at ${options.issuer} could not be reached.`, { cause: error });
    });
    return configuration;
  };
  const callbackUrl = `${options.publicUrl}${CALLBACK_PATH}`;
  return {
    /** Where to send the browser to sign in. @throws IdentityUnreachable */
    async authorizationUrl({ state, nonce, codeChallenge, locale }: SignInRequest): Promise<string> {
      return oidc.buildAuthorizationUrl(await configured(), {
        redirect_uri: callbackUrl, scope: "openid", response_type: "code",
        code_challenge: codeChallenge, code_challenge_method: "S256", state, nonce,
        prompt: "login", ui_locales: locale,
      }).href;
    },
    /**
     * Takes the authorization response (the callback's query) and exchanges its code.
     * @throws IdentityUnreachable when identity cannot be reached; openid-client's errors when
     * the response or the tokens do not check out.
     */
    async exchange(query: string, checks: { state: string; nonce: string; codeVerifier: string }): Promise<SignedIn> {
      const config = await configured();
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${callbackUrl}${query}`), {
        expectedState: checks.state, expectedNonce: checks.nonce, pkceCodeVerifier: checks.codeVerifier, idTokenExpected: true,
      }).catch((error: unknown) => {
        if (isUnreachable(error)) throw new IdentityUnreachable("The identity provider did not answer the code exchange.", { cause: error });
        throw error;
      });
      const subject = tokens.claims()?.sub;
      if (!subject) throw new oidc.ClientError("the ID token names no subject");
      return { accessToken: tokens.access_token, expiresIn: tokens.expiresIn() ?? 0, subject };
    },
  };
}
export type IdentityClient = ReturnType<typeof identityClient>;

async function discover({ issuer, jwksUrl, clientId, clientSecret }: IdentityClientOptions): Promise<oidc.Configuration> {
  const insecure = issuer.startsWith("http:");
  const auth = oidc.ClientSecretBasic(clientSecret);
  const found = await oidc.discovery(new URL(issuer), clientId, undefined, auth, {
    execute: insecure ? [oidc.allowInsecureRequests] : [],
    timeout: IDENTITY_TIMEOUT_MS / 1000,
  });
  const { supportsPKCE: _, ...metadata } = found.serverMetadata();
  const config = jwksUrl ? new oidc.Configuration({ ...metadata, jwks_uri: jwksUrl }, clientId, undefined, auth) : found;
  if (insecure) oidc.allowInsecureRequests(config);
  config.timeout = IDENTITY_TIMEOUT_MS / 1000;
  // The ID token's signature is checked too, not only its claims (it came over the back channel).
  oidc.enableNonRepudiationChecks(config);
  return config;
}

/** A failed request to identity (network, timeout), as opposed to an answer that did not check out. */
function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError"));
}
