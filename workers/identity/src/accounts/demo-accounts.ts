import type { Database } from "@rentalnang/shared/db/database";
import { countAccounts, insertAccount, type Role } from "./account-store.ts";
import type { Passwords } from "./passwords.ts";

/** The password of every demo and development account (README, "Try it"). */
export const DEMO_PASSWORD = "rentalnang";

const DEMO_ACCOUNTS: { id: string; roles: Role[] }[] = [
  { id: "c-1", roles: ["customer"] },
  { id: "c-2", roles: ["customer"] },
  { id: "m-1", roles: ["manager"] },
  { id: "o-1", roles: ["operator"] },
];

/** Development accounts `POST /dev/token` may create on demand, for tests and benchmarks. */
export const LOAD_ACCOUNT = /^load-[0-9]{1,9}$/;

/** Creates the demo accounts in an empty database (never called in production); returns the ids created. */
export async function seedDemoAccounts(db: Database, passwords: Passwords): Promise<string[]> {
  if ((await countAccounts(db)) > 0) return [];
  const passwordHash = await passwords.hash(DEMO_PASSWORD);
  const created: string[] = [];
  for (const { id, roles } of DEMO_ACCOUNTS) {
    if (await insertAccount(db, { id, passwordHash, roles })) created.push(id);
  }
  return created;
}
