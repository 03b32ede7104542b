import type { Database, Row } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";
import { pageQuery, type PageSpec } from "@rentalnang/shared/db/page-query";
import type { PaymentStatus } from "@rentalnang/shared/domain/statuses";
import type { ChargeCommand, Payment } from "./payment.ts";

function rowToPayment(r: Row): Payment {
  return {
    id: Number(r.id),
    rentalId: Number(r.rental_id),
    amount: Number(r.amount),
    rentHour: Number(r.rent_hour),
    carId: r.car_id === null ? null : String(r.car_id),
    customerId: r.customer_id === null ? null : String(r.customer_id),
    startAt: r.start_at === null ? null : String(r.start_at),
    endAt: r.end_at === null ? null : String(r.end_at),
    status: String(r.status) as PaymentStatus,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

export async function findPayment(db: Executor, id: number): Promise<Payment | undefined> {
  const r = await db.execute({ sql: "SELECT * FROM payments WHERE id = ?", args: [id] });
  return r.rows[0] ? rowToPayment(r.rows[0]) : undefined;
}

export async function findPaymentByRental(db: Executor, rentalId: number): Promise<Payment | undefined> {
  const r = await db.execute({ sql: "SELECT * FROM payments WHERE rental_id = ?", args: [rentalId] });
  return r.rows[0] ? rowToPayment(r.rows[0]) : undefined;
}

export async function findCancelledRental(db: Executor, rentalId: number): Promise<{ reason: string } | undefined> {
  const r = await db.execute({ sql: "SELECT reason FROM cancelled_rentals WHERE rental_id = ?", args: [rentalId] });
  return r.rows[0] ? { reason: String(r.rows[0].reason) } : undefined;
}

export async function recordCancelledRental(db: Executor, rentalId: number, reason: string, now: string) {
  await db.execute({
    sql: "INSERT INTO cancelled_rentals (rental_id, reason, cancelled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    args: [rentalId, reason, now],
  });
}

/** The rental's payment, unless it already has one (rental_id is unique): then undefined. */
export async function insertPayment(db: Executor, cmd: ChargeCommand, status: PaymentStatus, now: string): Promise<Payment | undefined> {
  const r = await db.execute({
    sql: `INSERT INTO payments (rental_id, amount, rent_hour, car_id, customer_id, start_at, end_at, status, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (rental_id) DO NOTHING RETURNING *`,
    args: [cmd.rentalId, cmd.amount, cmd.rentHour, cmd.carId, cmd.customerId, cmd.startAt, cmd.endAt, status, now, now],
  });
  return r.rows[0] ? rowToPayment(r.rows[0]) : undefined;
}

export async function savePayment(db: Executor, p: Payment) {
  await db.execute({ sql: "UPDATE payments SET status = ?, updated_at = ? WHERE id = ?", args: [p.status, p.updatedAt, p.id] });
}

export async function listPayments(
  db: Database, f: PageSpec & { rentalId?: number; customerId?: string | undefined },
): Promise<Payment[]> {
  const r = await db.execute(pageQuery({
    from: "SELECT * FROM payments", idColumn: "id", equal: { rental_id: f.rentalId, customer_id: f.customerId }, order: f.order, after: f.after, limit: f.limit,
  }));
  return r.rows.map(rowToPayment);
}
