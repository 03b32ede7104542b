import type { Database, Row } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";
import type { Order } from "@rentalnang/shared/http/pagination";
import { OVERLAP_SQL, overlapArgs } from "../rentals/conflict-store.ts";
import type { Window } from "../rentals/window.ts";
import { DEMO_FLEET, type Car } from "./car.ts";

function rowToCar(r: Row): Car {
  return {
    id: String(r.id),
    model: String(r.model),
    ratePerHour: Number(r.rate_per_hour),
    createdAt: String(r.created_at),
    retiredAt: r.retired_at === null ? null : String(r.retired_at),
  };
}

/** Adds a car; undefined when one with that id exists already (retired or not). */
export async function insertCar(tx: Executor, car: Omit<Car, "retiredAt">): Promise<Car | undefined> {
  const r = await tx.execute({
    sql: `INSERT INTO cars (id, model, rate_per_hour, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (id) DO NOTHING RETURNING *`,
    args: [car.id, car.model, car.ratePerHour, car.createdAt],
  });
  return r.rows[0] ? rowToCar(r.rows[0]) : undefined;
}

/** Includes retired cars: the rules decide what a retired one means. */
export async function findCar(tx: Executor, id: string): Promise<Car | undefined> {
  const r = await tx.execute({ sql: "SELECT * FROM cars WHERE id = ?", args: [id] });
  return r.rows[0] ? rowToCar(r.rows[0]) : undefined;
}

export async function saveCar(tx: Executor, car: Car): Promise<void> {
  await tx.execute({ sql: "UPDATE cars SET model = ?, rate_per_hour = ?, retired_at = ? WHERE id = ?", args: [car.model, car.ratePerHour, car.retiredAt, car.id] });
}

export interface CarFilter {
  /** Only cars free for the whole window. */
  freeFor?: Window;
  /** `asc` (the default) or `desc`, by id. */
  order?: Order;
  /** Ids past this one in that order (the cursor). */
  after?: string;
  limit: number;
}

/**
 * Active cars in the order of their ids (ascending unless asked otherwise), one more than asked (to tell whether a next page
 * exists). With a window, only those without a live reservation overlapping it: one seek per
 * car into the partial index on live reservations (car_id, start_at, end_at).
 */
export async function listCars(db: Database, f: CarFilter): Promise<Car[]> {
  const where = ["c.retired_at IS NULL"];
  const args: (string | number)[] = [];
  const descending = f.order === "desc";
  if (f.after !== undefined) {
    where.push(descending ? "c.id < ?" : "c.id > ?");
    args.push(f.after);
  }
  if (f.freeFor) {
    where.push(`NOT EXISTS (SELECT 1 FROM rentals r WHERE r.car_id = c.id AND ${OVERLAP_SQL})`);
    args.push(...overlapArgs(f.freeFor));
  }
  const r = await db.execute({ sql: `SELECT c.* FROM cars c WHERE ${where.join(" AND ")} ORDER BY c.id ${descending ? "DESC" : "ASC"} LIMIT ?`, args: [...args, f.limit + 1] });
  return r.rows.map(rowToCar);
}

/**
 * The demo fleet, into a database without any car (outside production). Two replicas starting
 * together both try; the check and the inserts share one write transaction, so one adds it.
 */
export async function seedDemoFleet(db: Database, ratePerHour: number, now: string): Promise<boolean> {
  return db.write(async (tx) => {
    const any = await tx.execute("SELECT 1 FROM cars LIMIT 1");
    if (any.rows.length > 0) return false;
    for (const car of DEMO_FLEET) await insertCar(tx, { ...car, ratePerHour, createdAt: now });
    return true;
  });
}
