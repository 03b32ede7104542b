import type { Database, Row } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";
import { pageQuery, type PageSpec } from "@rentalnang/shared/db/page-query";
import type { DeliveryStatus } from "@rentalnang/shared/domain/statuses";
import type { Delivery } from "./delivery.ts";

function rowToDelivery(r: Row): Delivery {
  return {
    id: Number(r.id),
    rentalId: Number(r.rental_id),
    paymentId: Number(r.payment_id),
    carId: r.car_id === null ? null : String(r.car_id),
    rentHour: Number(r.rent_hour),
    startAt: r.start_at === null ? null : String(r.start_at),
    endAt: r.end_at === null ? null : String(r.end_at),
    status: String(r.status) as DeliveryStatus,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

export async function findDelivery(db: Executor, id: number) {
  const r = await db.execute({ sql: "SELECT * FROM deliveries WHERE id = ?", args: [id] });
  return r.rows[0] ? rowToDelivery(r.rows[0]) : undefined;
}

export async function findDeliveryByRental(db: Executor, rentalId: number) {
  const r = await db.execute({ sql: "SELECT * FROM deliveries WHERE rental_id = ?", args: [rentalId] });
  return r.rows[0] ? rowToDelivery(r.rows[0]) : undefined;
}

export async function isRentalCancelled(db: Executor, rentalId: number): Promise<boolean> {
  const r = await db.execute({ sql: "SELECT 1 FROM cancelled_rentals WHERE rental_id = ?", args: [rentalId] });
  return r.rows.length > 0;
}

export async function recordCancelledRental(db: Executor, rentalId: number, now: string) {
  await db.execute({
    sql: "INSERT INTO cancelled_rentals (rental_id, cancelled_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
    args: [rentalId, now],
  });
}

export async function insertPendingDelivery(
  db: Executor,
  c: { rentalId: number; paymentId: number; carId: string | null; rentHour: number; startAt?: string | null; endAt?: string | null },
  now: string,
) {
  // rental_id is unique: a second request for one rental (another event id, a job run again
  // after its completed job was removed, another replica) inserts nothing.
  const r = await db.execute({
    sql: `INSERT INTO deliveries (rental_id, payment_id, car_id, rent_hour, start_at, end_at, status, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, 'PendingConfirmation', ?, ?) ON CONFLICT (rental_id) DO NOTHING RETURNING *`,
    args: [c.rentalId, c.paymentId, c.carId, c.rentHour, c.startAt ?? null, c.endAt ?? null, now, now],
  });
  return r.rows[0] ? rowToDelivery(r.rows[0]) : undefined;
}

export async function saveDelivery(db: Executor, c: Delivery) {
  await db.execute({ sql: "UPDATE deliveries SET status = ?, updated_at = ? WHERE id = ?", args: [c.status, c.updatedAt, c.id] });
}

export async function listDeliveries(
  db: Database,
  f: PageSpec & { status?: DeliveryStatus; rentalId?: number },
) {
  const r = await db.execute(pageQuery({
    from: "SELECT * FROM deliveries",
    idColumn: "id",
    equal: { status: f.status, rental_id: f.rentalId },
    order: f.order,
    after: f.after,
    limit: f.limit,
  }));
  return r.rows.map(rowToDelivery);
}
