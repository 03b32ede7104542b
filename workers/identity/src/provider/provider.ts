import Provider, { errors, type Configuration } from "oidc-provider";
import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { findAccount } from "../accounts/account-store.ts";
import { errorPage } from "../sign-in/sign-in-page.ts";
import { SIGN_IN_TEXT, signInLocale } from "../sign-in/sign-in-text.ts";
import { clientMetadata, type ClientSettings } from "./clients.ts";
import { autoConsent } from "./auto-consent.ts";
import { LibsqlAdapter } from "./libsql-adapter.ts";
import { ACCESS_TOKEN_TTL_S, resourceIndicator, resourceServerInfo } from "./resource.ts";
import { SIGNING_ALG, type ProviderSecrets } from "./signing-keys.ts";

export interface ProviderSettings extends ClientSettings {
  issuer: string;
  audience: string;
  db: Database;
  keys: ProviderSecrets;
  logger: Logger;
}

/**
 * The OpenID Connect provider: clients declared in clients.ts, state in the identity database,
 * access tokens as JWTs for the API's audience carrying the account's roles, the sign-in
 * pages served by this worker (sign-in/), consent given for its first-party clients.
 */
export function createProvider(settings: ProviderSettings): Provider {
  const provider = new Provider(settings.issuer, configuration(settings));
  provider.on("server_error", (_ctx, error) => settings.logger.error({ err: error }, "identity provider error"));
  return provider;
}

function configuration({ audience, db, keys, secrets, publicUrl, logger }: ProviderSettings): Configuration {
  const resource = resourceIndicator(audience);
  return {
    clients: clientMetadata({ publicUrl, secrets }),
    jwks: keys.jwks,
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG },
    // Authorization code only: no tokens in redirects (the implicit and hybrid flows).
    responseTypes: ["code"],
    cookies: { keys: keys.cookieKeys },
    adapter: (model: string) => new LibsqlAdapter(db, model),
    findAccount: async (_ctx, sub) => {
      const account = await findAccount(db, sub);
      return account && { accountId: account.id, claims: () => ({ sub: account.id }) };
    },
    // Runs outside any request too (POST /dev/token): it looks at the token only.
    extraTokenClaims: async (_ctx, token) => {
      if (token.kind !== "AccessToken" || !token.accountId) return undefined;
      const account = await findAccount(db, token.accountId);
      return { roles: account?.roles ?? [] };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`the only resource is ${resource}`);
          return resourceServerInfo(audience, SIGNING_ALG);
        },
      },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_S,
      ClientCredentials: ACCESS_TOKEN_TTL_S,
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      IdToken: ACCESS_TOKEN_TTL_S,
      RefreshToken: 14 * 24 * 60 * 60,
    },
    loadExistingGrant: autoConsent,
    renderError: (ctx, out) => {
      logger.info({ error: out.error, description: out.error_description }, "sign-in flow ended with an error page");
      const locale = signInLocale(ctx.oidc?.params?.ui_locales, ctx.get("accept-language"));
      ctx.type = "html";
      ctx.body = errorPage(out.error_description ?? out.error ?? SIGN_IN_TEXT[locale].cannotGoOn, locale);
    },
  };
}
