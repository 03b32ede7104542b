import type { Database } from "@rentalnang/shared/db/database";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import type { Mypage } from "../../workers/mypage/src/mypages/mypage.ts";

/** What each owner holds about one rental, read straight from its database. */

export interface RentalRow {
  id: number;
  status: string;
  reason: string | null;
  paymentId: number | null;
  deleted: boolean;
  key: string | null;
  carId: string;
  price: number;
  customerId: string | null;
  /** The window it holds; null only in a database older than rental's windows. */
  startAt: string | null;
  endAt: string | null;
}

export interface PaymentRow { id: number; status: string; amount: number }
export interface RequestRow { id: number; status: string; carId: string | null }

export interface SagaRows {
  rentals: RentalRow[];
  /** By rental id. */
  payments: Map<number, PaymentRow>;
  requests: Map<number, RequestRow>;
  views: Map<number, Mypage>;
}

export async function readSagaRows(dbs: Record<WorkerName, Database>): Promise<SagaRows> {
  const rentals = (await dbs.rental.execute(
    `SELECT r.id, r.status, r.cancel_reason, r.payment_id, r.deleted_at, r.car_id, r.price, r.customer_id, r.start_at, r.end_at, k.key
       FROM rentals r LEFT JOIN idempotency_keys k ON k.rental_id = r.id`,
  )).rows.map((r): RentalRow => ({
    id: Number(r.id), status: String(r.status), reason: r.cancel_reason as string | null,
    paymentId: r.payment_id === null ? null : Number(r.payment_id), deleted: r.deleted_at !== null, key: r.key as string | null,
    carId: String(r.car_id), price: Number(r.price), customerId: r.customer_id as string | null,
    startAt: r.start_at as string | null, endAt: r.end_at as string | null,
  }));
  const payments = new Map((await dbs.payment.execute("SELECT id, rental_id, status, amount FROM payments")).rows
    .map((r) => [Number(r.rental_id), { id: Number(r.id), status: String(r.status), amount: Number(r.amount) }]));
  const requests = new Map((await dbs.delivery.execute("SELECT id, rental_id, status, car_id FROM deliveries")).rows
    .map((r) => [Number(r.rental_id), { id: Number(r.id), status: String(r.status), carId: r.car_id as string | null }]));
  const views = new Map((await dbs.mypage.execute("SELECT rental_id, facts FROM mypages")).rows
    .map((r) => [Number(r.rental_id), JSON.parse(String(r.facts)) as Mypage]));
  return { rentals, payments, requests, views };
}
