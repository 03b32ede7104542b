/**
 * `npm run token -- <account> [role ...]`: prints one line, an access token for that account
 * from the identity at OIDC_ISSUER (its POST /dev/token, which exists only outside
 * production), for httpie or curl:
 *
 *   http -A bearer -a "$(npm run -s token -- c-1)" :8088/mypages
 *
 * Roles are used only when the account is a `load-N` one that does not exist yet.
 */
import { z } from "zod";
import { fail, parseCommand } from "@rentalnang/shared/cli/command";
import { authFields } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";

const { positionals } = parseCommand({
  name: "token",
  summary: "Prints one line, an access token for <account> from the identity at OIDC_ISSUER (its POST /dev/token, outside production).",
  usage: "<account> [role ...]",
  flags: {},
  notes: ["demo accounts: c-1, c-2 (customers), m-1 (manager), o-1 (operator); roles only for a new load-N account."],
  examples: ['http -A bearer -a "$(npm run -s token -- c-1)" :8088/mypages'],
});
const { OIDC_ISSUER: issuer } = configOrExit(() => loadConfig(z.object({ OIDC_ISSUER: authFields.OIDC_ISSUER })));
const [account, ...roles] = positionals;
if (!account) fail("token", "usage: npm run token -- <account> [role ...]   (demo accounts: c-1, c-2, m-1, o-1)");

let res: Response;
try {
  res = await fetch(`${issuer}/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account, ...(roles.length > 0 ? { roles } : {}) }),
    signal: AbortSignal.timeout(5_000),
  });
} catch (error) {
  fail("token", `identity at ${issuer} did not answer (${error instanceof Error ? error.message : error}); is npm start running?`);
}
const body = (await res.json().catch(() => undefined)) as { access_token?: string; detail?: string } | undefined;
if (res.status === 404 && !body?.detail) fail("token", `identity at ${issuer} has no POST /dev/token: it runs with NODE_ENV=production`);
if (!res.ok || !body?.access_token) fail("token", `identity at ${issuer} answered ${res.status}: ${body?.detail ?? "no token"}`);
console.log(body.access_token);

