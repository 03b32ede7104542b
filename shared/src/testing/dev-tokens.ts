import type { Role } from "../auth/principal.ts";

/**
 * Access tokens from an identity process's `POST /dev/token` (outside production only), one
 * per account and roles, kept while they have a good while left: tests and load runs ask for
 * the same people over and over. A `load-N` account is created on first use.
 */
export interface DevTokens {
  tokenFor(account: string, roles?: Role[]): Promise<string>;
}

/** A token is asked for again once less than this is left of it. */
const MARGIN_MS = 5 * 60_000;

export function devTokens(identityUrl: () => string): DevTokens {
  const kept = new Map<string, { token: Promise<string>; until: number }>();
  return {
    async tokenFor(account, roles) {
      const key = `${account}:${roles?.join(",") ?? ""}`;
      const hit = kept.get(key);
      if (hit && Date.now() < hit.until) return hit.token;
      const token = askFor(identityUrl(), account, roles).then(({ token, expiresIn }) => {
        kept.set(key, { token: Promise.resolve(token), until: Date.now() + expiresIn * 1000 - MARGIN_MS });
        return token;
      });
      kept.set(key, { token, until: Number.POSITIVE_INFINITY });
      token.catch(() => kept.delete(key));
      return token;
    },
  };
}

async function askFor(url: string, account: string, roles?: Role[]) {
  const res = await fetch(`${url}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(roles ? { account, roles } : { account }),
  });
  const body = (await res.json().catch(() => undefined)) as { access_token?: string; expires_in?: number } | undefined;
  if (!res.ok || !body?.access_token) throw new Error(`POST ${url}/dev/token for ${account} answered ${res.status}`);
  return { token: body.access_token, expiresIn: body.expires_in ?? 0 };
}
