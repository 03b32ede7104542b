import { afterEach, beforeEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { migrations } from "../../workers/rental/src/migrations.ts";
import { checkWindows } from "./window-invariants.ts";

/** The audit finds every pair of live reservations of one car whose windows overlap, and nothing else. */

let db: Database;
let id = 0;
beforeEach(async () => {
  db = await openDatabase(":memory:");
  id = 0;
  await migrate(db, migrations);
});
afterEach(() => db.close());

const hold = (carId: string, start: string, end: string, status = "Reserved") =>
  db.execute({
    sql: `INSERT INTO rentals (id, car_id, rent_hour, price, status, created_at, updated_at, start_at, end_at) VALUES (?, ?, 1, 1000, ?, ?, ?, ?, ?)`,
    args: [++id, carId, status, "T", "T", `2026-05-01T${start}:00.000Z`, `2026-05-01T${end}:00.000Z`],
  });
const audit = async () => {
  const v: string[] = [];
  const n = await checkWindows(db, v);
  expect(n).toBe(v.length);
  return v;
};

test("touching windows, other cars and cancelled reservations are no overlap", async () => {
  await hold("a", "10:00", "12:00");
  await hold("a", "12:00", "14:00");
  await hold("b", "11:00", "13:00");
  await hold("a", "11:00", "13:00", "Cancelled");
  expect(await audit()).toEqual([]);
});

test("overlapping, contained and equal windows of live reservations are each named once", async () => {
  await hold("a", "10:00", "12:00");
  await hold("a", "11:00", "13:00", "PaymentPending");
  await hold("b", "08:00", "18:00", "Confirmed");
  await hold("b", "09:00", "10:00");
  await hold("c", "09:00", "10:00");
  await hold("c", "09:00", "10:00");
  const v = await audit();
  expect(v).toHaveLength(3);
  expect(v).toContain("car a: live rentals 1 [2026-05-01T10:00:00.000Z, 2026-05-01T12:00:00.000Z) and 2 [2026-05-01T11:00:00.000Z, 2026-05-01T13:00:00.000Z) overlap");
  expect(v.some((x) => x.startsWith("car b: live rentals 3") && x.includes("and 4"))).toBe(true);
  expect(v.some((x) => x.startsWith("car c: live rentals 5") && x.includes("and 6"))).toBe(true);
});
