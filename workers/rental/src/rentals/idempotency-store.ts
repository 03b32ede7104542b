import type { Transaction } from "@libsql/client";
import type { Database } from "@rentalnang/shared/db/database";

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  rentalId: number;
  response: { status: number; body: unknown } | null;
}

export async function findKey(db: Database | Transaction, key: string): Promise<IdempotencyRecord | undefined> {
  const r = await db.execute({ sql: "SELECT * FROM idempotency_keys WHERE key = ?", args: [key] });
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    key,
    fingerprint: String(row.fingerprint),
    rentalId: Number(row.rental_id),
    response:
      row.response_status === null
        ? null
        : { status: Number(row.response_status), body: JSON.parse(String(row.response_body)) },
  };
}

/** Claims a key for a rental; false when another request claimed it first. */
export async function claimKey(tx: Transaction, key: string, fingerprint: string, rentalId: number, now: string) {
  const r = await tx.execute({
    sql: `INSERT INTO idempotency_keys (key, fingerprint, rental_id, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (key) DO NOTHING`,
    args: [key, fingerprint, rentalId, now],
  });
  return r.rowsAffected === 1;
}

export async function recordResponse(tx: Transaction, rentalId: number, status: number, body: unknown) {
  await tx.execute({
    sql: "UPDATE idempotency_keys SET response_status = ?, response_body = ? WHERE rental_id = ?",
    args: [status, JSON.stringify(body), rentalId],
  });
}
