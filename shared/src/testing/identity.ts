import { freePort } from "./redis-server.ts";
import { spawnWorker, type RunningProcess } from "./processes.ts";

/**
 * Spawns the identity process on a free port chosen first, so its issuer (OIDC_ISSUER, the
 * `iss` of its tokens) is the URL it really answers at; PORT=0 would leave that unknown.
 */
export async function spawnIdentity(dbUrl: string, env: Record<string, string> = {}): Promise<RunningProcess> {
  const port = await freePort();
  return spawnWorker("identity", {
    env: { PORT: String(port), OIDC_ISSUER: `http://127.0.0.1:${port}`, DATABASE_URL: dbUrl, ...env },
  });
}

/** An access token for `account` from a running identity's POST /dev/token. */
export async function devToken(identityUrl: string, account: string, roles?: string[]): Promise<string> {
  const res = await fetch(`${identityUrl}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account, ...(roles ? { roles } : {}) }),
  });
  if (!res.ok) throw new Error(`POST /dev/token for ${account}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
