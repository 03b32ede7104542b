import type { Database } from "@rentalnang/shared/db/database";

/** At most this many overlapping pairs are named; a broken rule shows in the first few. */
const MAX_NAMED = 100;
/** Every live rental holds its car's window (rental's migration 6; the partial index's WHERE). */
const LIVE = "status IN ('PaymentPending', 'Reserved', 'Confirmed')";

/**
 * No two live reservations of one car overlap, over rental's whole database. Each pair is
 * found once, from the one that starts first (or, starting together, has the lower id): the
 * later one starts inside the earlier one's window, a range of the partial index on live
 * windows (car_id, start_at, end_at).
 */
export async function checkWindows(rental: Database, v: string[]): Promise<number> {
  const pairs = await rental.execute({
    sql: `SELECT a.id AS first, b.id AS second, a.car_id, a.start_at AS a_start, a.end_at AS a_end, b.start_at AS b_start, b.end_at AS b_end
            FROM rentals a JOIN rentals b
              ON b.car_id = a.car_id AND b.${LIVE} AND b.start_at >= a.start_at AND b.start_at < a.end_at
             AND (b.start_at > a.start_at OR b.id > a.id)
           WHERE a.${LIVE}
           LIMIT ?`,
    args: [MAX_NAMED],
  });
  for (const p of pairs.rows) {
    v.push(`car ${p.car_id}: live rentals ${p.first} [${p.a_start}, ${p.a_end}) and ${p.second} [${p.b_start}, ${p.b_end}) overlap`);
  }
  return pairs.rows.length;
}
