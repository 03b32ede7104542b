import type { Database, Row } from "@rentalnang/shared/db/database";
import type { CancelReason } from "@rentalnang/shared/events/catalog";
import type { Executor } from "@rentalnang/shared/db/executor";
import { pageQuery, type PageSpec } from "@rentalnang/shared/db/page-query";
import type { Rental, RentalStatus } from "./rental.ts";

function rowToRental(r: Row): Rental {
  return {
    id: Number(r.id),
    carId: String(r.car_id),
    rentHour: Number(r.rent_hour),
    price: Number(r.price),
    customerId: r.customer_id === null ? null : String(r.customer_id),
    startAt: String(r.start_at),
    endAt: String(r.end_at),
    status: String(r.status) as RentalStatus,
    paymentId: r.payment_id === null ? null : Number(r.payment_id),
    cancelReason: r.cancel_reason === null ? null : (String(r.cancel_reason) as CancelReason),
    managerConfirmed: Number(r.manager_confirmed) === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    deletedAt: r.deleted_at === null ? null : String(r.deleted_at),
  };
}

export async function insertPendingRental(
  tx: Executor,
  input: { carId: string; rentHour: number; price: number; customerId: string | null; startAt: string; endAt: string },
  now: string,
): Promise<Rental> {
  const r = await tx.execute({
    sql: `INSERT INTO rentals (car_id, rent_hour, price, customer_id, start_at, end_at, status, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, 'PaymentPending', ?, ?) RETURNING *`,
    args: [input.carId, input.rentHour, input.price, input.customerId, input.startAt, input.endAt, now, now],
  });
  return rowToRental(r.rows[0]!);
}

/** Includes deleted rentals: the rules decide what a deleted one means. */
export async function findRental(tx: Executor, id: number): Promise<Rental | undefined> {
  const r = await tx.execute({ sql: "SELECT * FROM rentals WHERE id = ?", args: [id] });
  return r.rows[0] ? rowToRental(r.rows[0]) : undefined;
}

export async function saveRental(tx: Executor, rental: Rental): Promise<void> {
  await tx.execute({
    sql: `UPDATE rentals SET status = ?, payment_id = ?, cancel_reason = ?, manager_confirmed = ?,
            updated_at = ?, deleted_at = ? WHERE id = ?`,
    args: [
      rental.status, rental.paymentId, rental.cancelReason, rental.managerConfirmed ? 1 : 0,
      rental.updatedAt, rental.deletedAt, rental.id,
    ],
  });
}

/**
 * Saves `rental` only if the row still is as `was` left it in what may change under a pending
 * rental (its status, the manager's confirmation, its deletion); false when it is not.
 */
export async function saveRentalIfUnchanged(tx: Executor, rental: Rental, was: Rental): Promise<boolean> {
  const r = await tx.execute({
    sql: `UPDATE rentals SET status = ?, payment_id = ?, cancel_reason = ?, manager_confirmed = ?,
            updated_at = ?, deleted_at = ? WHERE id = ? AND status = ? AND manager_confirmed = ? AND deleted_at IS ?`,
    args: [
      rental.status, rental.paymentId, rental.cancelReason, rental.managerConfirmed ? 1 : 0,
      rental.updatedAt, rental.deletedAt, rental.id, was.status, was.managerConfirmed ? 1 : 0, was.deletedAt,
    ],
  });
  return r.rowsAffected > 0;
}

export interface RentalFilter extends PageSpec {
  customerId?: string;
  status?: RentalStatus;
}

/** In the page's order (newest first by default), deleted ones left out; one row more than asked, to tell whether a next page exists. */
export async function listRentals(db: Database, f: RentalFilter): Promise<Rental[]> {
  const r = await db.execute(pageQuery({
    from: "SELECT * FROM rentals",
    idColumn: "id",
    equal: { customer_id: f.customerId, status: f.status },
    always: ["deleted_at IS NULL"],
    order: f.order,
    after: f.after,
    limit: f.limit,
  }));
  return r.rows.map(rowToRental);
}

/** Pending rentals older than `olderThan` (ISO time): their payment call can no longer be waiting. */
export async function findStaleRentalIds(db: Database, olderThan: string, limit = 100): Promise<number[]> {
  const r = await db.execute({
    sql: "SELECT id FROM rentals WHERE status = 'PaymentPending' AND created_at < ? ORDER BY id LIMIT ?",
    args: [olderThan, limit],
  });
  return r.rows.map((row) => Number(row.id));
}
