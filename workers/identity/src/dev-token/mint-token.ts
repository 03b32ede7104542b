import type { Provider } from "oidc-provider";
import { resourceIndicator, resourceServerInfo } from "../provider/resource.ts";
import { SIGNING_ALG } from "../provider/signing-keys.ts";

/** The client a person's token is issued to when they sign in on the web pages. */
const PEOPLE_CLIENT = "gateway";

export interface MintedToken {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/**
 * An access token for `accountId`, minted by the provider's own AccessToken model: the same
 * key, issuer, audience, lifetime and claims (roles through extraTokenClaims) as one the
 * authorization code flow issues to the gateway, without the browser steps.
 */
export async function mintAccessToken(provider: Provider, audience: string, accountId: string): Promise<MintedToken> {
  const client = await provider.Client.find(PEOPLE_CLIENT);
  if (!client) throw new Error(`the ${PEOPLE_CLIENT} client is not configured`);
  // The types ask every access token for the grant it comes from; this one comes from none,
  // which oidc-provider allows (grantId is optional in its AccessToken model).
  const properties = { accountId, client, gty: "authorization_code" } as ConstructorParameters<Provider["AccessToken"]>[0];
  const token = new provider.AccessToken(properties);
  token.resourceServer = new provider.ResourceServer(resourceIndicator(audience), resourceServerInfo(audience, SIGNING_ALG));
  const value = await token.save();
  return { access_token: value, token_type: token.tokenType, expires_in: token.expiration };
}
