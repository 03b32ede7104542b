import type { Database } from "@rentalnang/shared/db/database";

export const ROLES = ["customer", "manager", "operator"] as const;
export type Role = (typeof ROLES)[number];

export interface Account {
  id: string;
  passwordHash: string;
  roles: Role[];
}

export async function findAccount(db: Database, id: string): Promise<Account | undefined> {
  const { rows } = await db.execute({ sql: "SELECT id, password_hash, roles FROM accounts WHERE id = ?", args: [id] });
  const row = rows[0];
  if (!row) return undefined;
  return { id: String(row.id), passwordHash: String(row.password_hash), roles: JSON.parse(String(row.roles)) as Role[] };
}

/** Inserts the account unless one with its id exists; true when it was inserted. */
export async function insertAccount(db: Database, account: Account): Promise<boolean> {
  const { rowsAffected } = await db.execute({
    sql: "INSERT INTO accounts (id, password_hash, roles, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    args: [account.id, account.passwordHash, JSON.stringify(account.roles), new Date().toISOString()],
  });
  return rowsAffected > 0;
}

export async function countAccounts(db: Database): Promise<number> {
  const { rows } = await db.execute("SELECT COUNT(*) AS n FROM accounts");
  return Number(rows[0]!.n);
}
