import type { Executor } from "@rentalnang/shared/db/executor";
import { RENT_HOURS } from "@rentalnang/shared/domain/tariff";
import { HOUR_MS, type Window } from "./window.ts";

/**
 * The statuses that hold a car's window. Written exactly as the partial index
 * `rentals_live_window` (migration 6) is, so that SQLite may use that index.
 */
export const LIVE_STATUSES_SQL = "status IN ('PaymentPending', 'Reserved', 'Confirmed')";

/**
 * The earliest start a reservation overlapping a window from `startAt` can have: no rental is
 * longer than RENT_HOURS.max, so the index is read from there on, not from the car's first rental.
 */
export const earliestOverlappingStart = (startAt: string) => new Date(Date.parse(startAt) - RENT_HOURS.max * HOUR_MS).toISOString();

/**
 * `r.car_id = <car> AND r overlaps [?, ?)`, for the alias `r` of rentals; its arguments come
 * from `overlapArgs`. The range on start_at bounds the index scan on (car_id, start_at, end_at).
 */
export const OVERLAP_SQL = `r.${LIVE_STATUSES_SQL}
  AND r.start_at >= ? AND r.start_at < ? AND r.end_at > ?`;
export const overlapArgs = (w: Window) => [earliestOverlappingStart(w.startAt), w.endAt, w.startAt];

/**
 * The earliest live reservation of `carId` overlapping `window`, if any. Run it inside the
 * write transaction that inserts the reservation: the database then serialises the check with
 * every other writer, and of two overlapping requests only one finds the window free.
 */
export async function findConflict(tx: Executor, carId: string, window: Window): Promise<Window | undefined> {
  const r = await tx.execute({
    sql: `SELECT r.start_at, r.end_at FROM rentals r WHERE r.car_id = ? AND ${OVERLAP_SQL} ORDER BY r.start_at LIMIT 1`,
    args: [carId, ...overlapArgs(window)],
  });
  const row = r.rows[0];
  return row ? { startAt: String(row.start_at), endAt: String(row.end_at) } : undefined;
}
