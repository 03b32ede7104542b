import { z } from "zod";
import type { Database } from "@rentalnang/shared/db/database";
import { noOwnFacts, type RowRange, type WorkerFactsSpec } from "@rentalnang/shared/invariant-facts/facts";
import { confirmationStatusOf, paymentStatusOf, statusOf, type Mypage } from "./mypage.ts";

/**
 * What mypage tells the operators' invariant check (shared/src/invariant-facts/facts.ts):
 * each rental's view as a customer sees it, with the details it copied from the events.
 */

export const MypageFact = z.object({
  rentalId: z.number().int(),
  status: z.string(),
  paymentStatus: z.string().nullable(),
  confirmationStatus: z.string().nullable(),
  cancelReason: z.string().nullable(),
  customerId: z.string().nullable(),
  carId: z.string().nullable(),
  price: z.number().nullable(),
  /** The window, once an event named it; null in a view folded from version 1 events only. */
  startAt: z.string().nullable(),
  endAt: z.string().nullable(),
});
export type MypageFact = z.infer<typeof MypageFact>;

/** A row whose folded facts do not parse is shown as such: the check then names it. */
function factOf(rentalId: number, facts: string): MypageFact {
  let v: Mypage;
  try {
    v = JSON.parse(facts) as Mypage;
  } catch {
    return { rentalId, status: "unreadable", paymentStatus: null, confirmationStatus: null, cancelReason: null, customerId: null, carId: null, price: null, startAt: null, endAt: null };
  }
  return {
    rentalId, status: statusOf(v), paymentStatus: paymentStatusOf(v), confirmationStatus: confirmationStatusOf(v),
    cancelReason: v.cancelReason ?? null, customerId: v.customerId ?? null, carId: v.carId ?? null, price: v.price ?? null,
    startAt: v.startAt ?? null, endAt: v.endAt ?? null,
  };
}

async function readViews(db: Database, { after, through, limit }: RowRange): Promise<MypageFact[]> {
  const r = await db.execute({
    sql: "SELECT rental_id, facts FROM mypages WHERE rental_id > ? AND rental_id <= ? ORDER BY rental_id LIMIT ?",
    args: [after, through, limit],
  });
  return r.rows.map((row) => factOf(Number(row.rental_id), String(row.facts)));
}

export const mypageFacts = { row: MypageFact, readRows: readViews, ...noOwnFacts } satisfies WorkerFactsSpec<MypageFact, object>;
