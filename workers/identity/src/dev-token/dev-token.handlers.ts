import { Hono } from "hono";
import { z } from "zod";
import type { Provider } from "oidc-provider";
import type { Database } from "@rentalnang/shared/db/database";
import { problemJson } from "@rentalnang/shared/http/problem";
import { findAccount, insertAccount, ROLES } from "../accounts/account-store.ts";
import { DEMO_PASSWORD, LOAD_ACCOUNT } from "../accounts/demo-accounts.ts";
import type { Passwords } from "../accounts/passwords.ts";
import { mintAccessToken } from "./mint-token.ts";

export interface DevTokenDeps {
  provider: Provider;
  db: Database;
  passwords: Passwords;
  audience: string;
}

const DevTokenRequest = z.object({
  account: z.string().min(1).max(64),
  /** Only for a `load-N` account that does not exist yet: the roles it is created with. */
  roles: z.array(z.enum(ROLES)).min(1).optional(),
});

/**
 * `POST /dev/token`: a person's access token without the browser, for `npm run token`, tests
 * and benchmarks. Mounted only outside production. A `load-N` account is created on first
 * use (password "rentalnang", roles as asked, customer by default); any other unknown account is 404.
 */
export function devTokenRouter({ provider, db, passwords, audience }: DevTokenDeps) {
  const app = new Hono();
  // Every development account has the demo password: hashed once, not once per account.
  let demoHash: Promise<string> | undefined;
  app.post("/dev/token", async (c) => {
    const parsed = DevTokenRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
      return problemJson(400, "Bad Request", 'Send { "account": "c-1" } (and "roles" for a new load-N account).', { errors });
    }
    const { account, roles = ["customer"] } = parsed.data;
    if (!(await findAccount(db, account))) {
      if (!LOAD_ACCOUNT.test(account)) return problemJson(404, "Not Found", `No account ${account}; only load-N accounts are created here.`);
      demoHash ??= passwords.hash(DEMO_PASSWORD).catch((error: unknown) => {
        demoHash = undefined;
        throw error;
      });
      await insertAccount(db, { id: account, passwordHash: await demoHash, roles });
    }
    return c.json(await mintAccessToken(provider, audience, account));
  });
  return app;
}
