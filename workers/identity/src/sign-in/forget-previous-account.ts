import type { Interaction, Provider } from "oidc-provider";

/**
 * Signs the browser's previous account out of the provider's session when someone else signs
 * in on it (a manager signs out of the pages, a customer signs in on the same computer).
 * oidc-provider would otherwise first sign the old account out through a page that posts
 * itself with a script, before going on. Here the session keeps its id and uid (the pending
 * sign-in belongs to it) but loses its account and the grants it held, so the new account's
 * sign-in simply fills it.
 */
export async function forgetPreviousAccount(provider: Provider, previous: Interaction["session"], accountId: string): Promise<void> {
  if (!previous?.cookie || previous.accountId === accountId) return;
  const session = await provider.Session.find(previous.cookie);
  if (!session || session.accountId !== previous.accountId) return;
  session.accountId = undefined;
  session.loginTs = undefined;
  session.amr = undefined;
  session.acr = undefined;
  session.authorizations = {};
  await session.persist();
}
