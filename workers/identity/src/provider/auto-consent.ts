/** The parts of oidc-provider's request context that consent looks at. */
interface ConsentContext {
  oidc: {
    client: { clientId: string };
    account?: { accountId: string };
    session: { grantIdFor(clientId: string): string | undefined };
    params: { scope?: unknown };
    resourceServers?: Record<string, { scope?: string }>;
    result?: { consent?: { grantId?: string } };
    provider: { Grant: { new (p: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant | undefined> } };
  };
}

interface Grant {
  accountId?: string;
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

/**
 * Consent for first-party clients (every client of this provider is one: the system's own
 * gateway and services): once the person is signed in, the grant covers what the request
 * asked for, so no consent page is ever shown. oidc-provider's `loadExistingGrant`.
 */
export async function autoConsent(ctx: ConsentContext): Promise<Grant | undefined> {
  const { oidc } = ctx;
  if (!oidc.account) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
  const found = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  const grant = found ?? new oidc.provider.Grant({ accountId: oidc.account.accountId, clientId: oidc.client.clientId });
  if (typeof oidc.params.scope === "string") grant.addOIDCScope(oidc.params.scope);
  for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) grant.addResourceScope(indicator, server.scope ?? "");
  await grant.save();
  return grant;
}
