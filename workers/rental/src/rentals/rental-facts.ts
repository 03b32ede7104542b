import { z } from "zod";
import type { Database } from "@rentalnang/shared/db/database";
import type { RowRange, WorkerFactsSpec } from "@rentalnang/shared/invariant-facts/facts";
import { LIVE_STATUSES_SQL } from "./conflict-store.ts";

/**
 * What rental tells the operators' invariant check (shared/src/invariant-facts/facts.ts):
 * each rental as the saga left it, and the pairs of live reservations of one car whose
 * windows overlap (which its conflict check should make impossible).
 */

export const RentalFact = z.object({
  rentalId: z.number().int(),
  status: z.string(),
  reason: z.string().nullable(),
  paymentId: z.number().int().nullable(),
  deleted: z.boolean(),
  /** An Idempotency-Key it was reserved under, if any. */
  key: z.string().nullable(),
  carId: z.string(),
  price: z.number().int(),
  customerId: z.string().nullable(),
  /** The window it holds; null only in a database older than rental's windows. */
  startAt: z.string().nullable(),
  endAt: z.string().nullable(),
});
export type RentalFact = z.infer<typeof RentalFact>;

const Window = z.object({ rentalId: z.number().int(), startAt: z.string(), endAt: z.string() });
export const Overlap = z.object({ carId: z.string(), first: Window, second: Window });
export type Overlap = z.infer<typeof Overlap>;

/** At most this many overlapping pairs are named; a broken rule shows in the first few. */
export const MAX_OVERLAPS = 100;

async function readRentals(db: Database, { after, through, limit }: RowRange): Promise<RentalFact[]> {
  const r = await db.execute({
    sql: `SELECT r.id, r.status, r.cancel_reason, r.payment_id, r.deleted_at, r.car_id, r.price, r.customer_id, r.start_at, r.end_at,
                 (SELECT min(k.key) FROM idempotency_keys k WHERE k.rental_id = r.id) AS key
            FROM rentals r WHERE r.id > ? AND r.id <= ? ORDER BY r.id LIMIT ?`,
    args: [after, through, limit],
  });
  return r.rows.map((row) => ({
    rentalId: Number(row.id), status: String(row.status), reason: row.cancel_reason as string | null,
    paymentId: row.payment_id === null ? null : Number(row.payment_id), deleted: row.deleted_at !== null,
    key: row.key as string | null, carId: String(row.car_id), price: Number(row.price),
    customerId: row.customer_id as string | null, startAt: row.start_at as string | null, endAt: row.end_at as string | null,
  }));
}

/**
 * Live reservations of one car that overlap, over the whole database. Each pair is found
 * once, from the one that starts first (or, starting together, has the lower id): the later
 * one starts inside the earlier one's window, a range of the partial index on live windows.
 */
async function readOverlaps(db: Database): Promise<Overlap[]> {
  const pairs = await db.execute({
    sql: `SELECT a.id AS first, b.id AS second, a.car_id, a.start_at AS a_start, a.end_at AS a_end, b.start_at AS b_start, b.end_at AS b_end
            FROM rentals a JOIN rentals b
              ON b.car_id = a.car_id AND b.${LIVE_STATUSES_SQL} AND b.start_at >= a.start_at AND b.start_at < a.end_at
             AND (b.start_at > a.start_at OR b.id > a.id)
           WHERE a.${LIVE_STATUSES_SQL}
           LIMIT ?`,
    args: [MAX_OVERLAPS],
  });
  return pairs.rows.map((p) => ({
    carId: String(p.car_id),
    first: { rentalId: Number(p.first), startAt: String(p.a_start), endAt: String(p.a_end) },
    second: { rentalId: Number(p.second), startAt: String(p.b_start), endAt: String(p.b_end) },
  }));
}

export const rentalFacts = {
  row: RentalFact,
  readRows: readRentals,
  own: z.object({ overlaps: z.array(Overlap) }),
  readOwn: async ({ db }) => ({ overlaps: await readOverlaps(db) }),
} satisfies WorkerFactsSpec<RentalFact, { overlaps: Overlap[] }>;
