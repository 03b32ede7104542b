import type { Transaction } from "@libsql/client";
import type { Executor } from "@rentalnang/shared/db/executor";

/** The first answer given for a key, exactly as it was sent (status and body). */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  rentalId: number;
  answer: StoredAnswer | null;
}

export async function findIdempotencyKey(db: Executor, key: string): Promise<IdempotencyRecord | undefined> {
  const r = await db.execute({ sql: "SELECT * FROM idempotency_keys WHERE key = ?", args: [key] });
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    key,
    fingerprint: String(row.fingerprint),
    rentalId: Number(row.rental_id),
    answer:
      row.response_status === null
        ? null
        : { status: Number(row.response_status), body: JSON.parse(String(row.response_body)) },
  };
}

/** Claims a key for a rental; false when another request claimed it first. */
export async function claimIdempotencyKey(tx: Transaction, key: string, fingerprint: string, rentalId: number, now: string) {
  const r = await tx.execute({
    sql: `INSERT INTO idempotency_keys (key, fingerprint, rental_id, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (key) DO NOTHING`,
    args: [key, fingerprint, rentalId, now],
  });
  return r.rowsAffected === 1;
}

/** Records the rental's first answer; one recorded before stays (it is what a client was told). */
export async function recordAnswer(db: Executor, rentalId: number, answer: StoredAnswer) {
  await db.execute({
    sql: "UPDATE idempotency_keys SET response_status = ?, response_body = ? WHERE rental_id = ? AND response_status IS NULL",
    args: [answer.status, JSON.stringify(answer.body), rentalId],
  });
}
