import type { WorkerName } from "@rentalnang/shared/topology/topology";
import type { DeliveryFact } from "../../workers/delivery/src/deliveries/delivery-facts.ts";
import type { MypageFact } from "../../workers/mypage/src/mypages/mypage-facts.ts";
import type { PaymentFact } from "../../workers/payment/src/payments/payment-facts.ts";
import type { RentalFact } from "../../workers/rental/src/rentals/rental-facts.ts";
import type { FactSource, RowsOf } from "./fact-source.ts";

/**
 * What each owner holds about the rentals of one stretch of rental ids: a page of rental's
 * rows, and every payment, confirmation request and view row in the same stretch. The check
 * walks the rental ids a stretch at a time, so neither a response nor its own memory grows
 * with the databases.
 */

/** Rentals per stretch, and rows per page of the other workers. */
export const ROWS_PER_PAGE = 1000;

export interface SagaRows {
  rentals: RentalFact[];
  /** By rental id. */
  payments: Map<number, PaymentFact>;
  requests: Map<number, DeliveryFact>;
  views: Map<number, MypageFact>;
}

/** Every row of `worker` after `cursor` up to rental `through` (all the rest without one), page by page. */
async function allRows<W extends WorkerName>(source: FactSource, worker: W, cursor: string | undefined, through: number | undefined) {
  const rows: RowsOf<W>[] = [];
  let next = cursor;
  do {
    const page = await source.rows(worker, { cursor: next, through, limit: ROWS_PER_PAGE });
    rows.push(...page.items);
    next = page.nextCursor ?? undefined;
  } while (next !== undefined);
  return rows;
}

const byRental = <R extends { rentalId: number }>(rows: R[]) => new Map(rows.map((r) => [r.rentalId, r]));

/**
 * Calls `visit` with each stretch, from the first rental on: a page of rentals, and the
 * others' rows up to its last rental (the last stretch: all that remain, so rows of rentals
 * after the last one are seen too).
 */
export async function forEachStretch(source: FactSource, visit: (rows: SagaRows) => void): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await source.rows("rental", { cursor, limit: ROWS_PER_PAGE });
    const through = page.nextCursor === null ? undefined : page.items.at(-1)!.rentalId;
    const [payments, requests, views] = await Promise.all([
      allRows(source, "payment", cursor, through),
      allRows(source, "delivery", cursor, through),
      allRows(source, "mypage", cursor, through),
    ]);
    visit({ rentals: page.items, payments: byRental(payments), requests: byRental(requests), views: byRental(views) });
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
