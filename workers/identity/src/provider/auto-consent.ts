import type { Grant, KoaContextWithOIDC } from "oidc-provider";

/**
 * Consent for first-party clients (every client of this provider is one: the system's own
 * gateway and services): once the person is signed in, the grant covers what the request
 * asked for, so no consent page is ever shown. oidc-provider's `loadExistingGrant`.
 */
export async function autoConsent(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { account, client, session, params, resourceServers, result, provider } = ctx.oidc;
  if (!account || !client || !session) return undefined;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  const found = grantId ? await provider.Grant.find(grantId) : undefined;
  const grant = found ?? new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
  if (typeof params?.scope === "string") grant.addOIDCScope(params.scope);
  for (const [indicator, server] of Object.entries(resourceServers ?? {})) grant.addResourceScope(indicator, server.scope ?? "");
  await grant.save();
  return grant;
}
