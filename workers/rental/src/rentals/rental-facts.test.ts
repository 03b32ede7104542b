import { afterEach, beforeEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { readRowsPage } from "@rentalnang/shared/invariant-facts/read-facts";
import { migrations } from "../migrations.ts";
import { rentalFacts, type Overlap } from "./rental-facts.ts";

/** rental's facts for the invariant check: every pair of live reservations of one car whose windows overlap, and nothing else; its rows a page at a time. */

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
const overlaps = async (): Promise<Overlap[]> => (await rentalFacts.readOwn({ db } as Parameters<typeof rentalFacts.readOwn>[0])).overlaps;
const pair = (o: Overlap) => [o.carId, o.first.rentalId, o.second.rentalId];

test("touching windows, other cars and cancelled reservations are no overlap", async () => {
  await hold("a", "10:00", "12:00");
  await hold("a", "12:00", "14:00");
  await hold("b", "11:00", "13:00");
  await hold("a", "11:00", "13:00", "Cancelled");
  expect(await overlaps()).toEqual([]);
});

test("overlapping, contained and equal windows of live reservations are each named once", async () => {
  await hold("a", "10:00", "12:00");
  await hold("a", "11:00", "13:00", "PaymentPending");
  await hold("b", "08:00", "18:00", "Confirmed");
  await hold("b", "09:00", "10:00");
  await hold("c", "09:00", "10:00");
  await hold("c", "09:00", "10:00");
  const found = await overlaps();
  expect(found.map(pair).toSorted()).toEqual([["a", 1, 2], ["b", 3, 4], ["c", 5, 6]]);
  expect(found.find((o) => o.carId === "a")).toEqual({
    carId: "a",
    first: { rentalId: 1, startAt: "2026-05-01T10:00:00.000Z", endAt: "2026-05-01T12:00:00.000Z" },
    second: { rentalId: 2, startAt: "2026-05-01T11:00:00.000Z", endAt: "2026-05-01T13:00:00.000Z" },
  });
});

test("rows come by rental id, a page at a time, within the range asked, each with the key it was reserved under", async () => {
  for (let i = 0; i < 5; i++) await hold("a", `0${i}:00`, `0${i}:30`);
  await db.execute({ sql: "INSERT INTO idempotency_keys (scope, key, fingerprint, rental_id, created_at, expires_at) VALUES ('c-1', 'k3', 'f', 3, 'T', 'T')", args: [] });
  const first = await readRowsPage(rentalFacts, db, { after: 0, through: 4, limit: 2 });
  expect(first.items.map((r) => r.rentalId)).toEqual([1, 2]);
  expect(first.nextCursor).not.toBeNull();
  const rest = await readRowsPage(rentalFacts, db, { after: 2, through: 4, limit: 2 });
  expect(rest.items.map((r) => [r.rentalId, r.key])).toEqual([[3, "k3"], [4, null]]);
  expect(rest.nextCursor).toBeNull();
  expect(rest.items[0]).toMatchObject({ status: "Reserved", carId: "a", price: 1000, deleted: false, startAt: "2026-05-01T02:00:00.000Z" });
});
