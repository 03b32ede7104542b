import type { Transaction } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";

/** The first answer given for a key, exactly as it was sent (status and body). */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/**
 * Whose key it is: two customers may pick the same key and mean different requests. Requests
 * without a customer share one scope of their own, stored as '' (a customer id is never empty).
 */
export type KeyScope = string | null;

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  rentalId: number;
  answer: StoredAnswer | null;
}

const scopeOf = (scope: KeyScope) => scope ?? "";

/** The key's record, unless it has expired (a replay after expiry is a new request). */
export async function findIdempotencyKey(db: Executor, scope: KeyScope, key: string, now: string): Promise<IdempotencyRecord | undefined> {
  const r = await db.execute({
    sql: "SELECT * FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at > ?",
    args: [scopeOf(scope), key, now],
  });
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

export interface KeyClaim {
  scope: KeyScope;
  key: string;
  fingerprint: string;
  rentalId: number;
  now: string;
  expiresAt: string;
}

/**
 * Claims a key for a rental; false when another request holds it. An expired key not yet
 * trimmed is taken over, its old answer forgotten.
 */
export async function claimIdempotencyKey(tx: Transaction, claim: KeyClaim) {
  const r = await tx.execute({
    sql: `INSERT INTO idempotency_keys (scope, key, fingerprint, rental_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (scope, key) DO UPDATE SET
            fingerprint = excluded.fingerprint, rental_id = excluded.rental_id,
            response_status = NULL, response_body = NULL,
            created_at = excluded.created_at, expires_at = excluded.expires_at
          WHERE idempotency_keys.expires_at <= excluded.created_at`,
    args: [scopeOf(claim.scope), claim.key, claim.fingerprint, claim.rentalId, claim.now, claim.expiresAt],
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
