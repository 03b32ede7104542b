import { z } from "zod";
import type { Database } from "@rentalnang/shared/db/database";
import { noOwnFacts, type RowRange, type WorkerFactsSpec } from "@rentalnang/shared/invariant-facts/facts";

/** What payment tells the operators' invariant check (shared/src/invariant-facts/facts.ts): each rental's payment. */

export const PaymentFact = z.object({
  rentalId: z.number().int(),
  id: z.number().int(),
  status: z.string(),
  amount: z.number().int(),
});
export type PaymentFact = z.infer<typeof PaymentFact>;

async function readPayments(db: Database, { after, through, limit }: RowRange): Promise<PaymentFact[]> {
  const r = await db.execute({
    sql: "SELECT id, rental_id, status, amount FROM payments WHERE rental_id > ? AND rental_id <= ? ORDER BY rental_id LIMIT ?",
    args: [after, through, limit],
  });
  return r.rows.map((row) => ({ rentalId: Number(row.rental_id), id: Number(row.id), status: String(row.status), amount: Number(row.amount) }));
}

export const paymentFacts = { row: PaymentFact, readRows: readPayments, ...noOwnFacts } satisfies WorkerFactsSpec<PaymentFact, object>;
