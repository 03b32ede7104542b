import { afterEach, beforeEach, expect, test } from "bun:test";
import { createLogger } from "../log/logger.ts";
import { openDatabase, type Database } from "./database.ts";
import { createRetention, TOMBSTONE_RETENTION_MS } from "./retention.ts";

const DAY_MS = 24 * 3600 * 1000;
let db: Database;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await db.execute("CREATE TABLE cancelled_rentals (rental_id INTEGER PRIMARY KEY, cancelled_at TEXT NOT NULL)");
});
afterEach(() => db.close());

test("tombstones older than their retention are trimmed, younger ones kept", async () => {
  const now = Date.parse("2025-06-01T00:00:00.000Z");
  const at = (ageMs: number) => new Date(now - ageMs).toISOString();
  for (const [id, age] of [[1, TOMBSTONE_RETENTION_MS + DAY_MS], [2, TOMBSTONE_RETENTION_MS - DAY_MS], [3, DAY_MS]] as const) {
    await db.execute({ sql: "INSERT INTO cancelled_rentals VALUES (?, ?)", args: [id, at(age)] });
  }
  const retention = createRetention(db, createLogger("test", "silent"), { outbox: false, inbox: false, tombstones: ["cancelled_rentals"] });
  expect(await retention.trim(now)).toEqual({ cancelled_rentals: 1 });
  const left = await db.execute("SELECT rental_id FROM cancelled_rentals ORDER BY rental_id");
  expect(left.rows.map((r) => Number(r.rental_id))).toEqual([2, 3]);
});

test("without tombstone tables nothing but the messaging tables is touched", async () => {
  await db.execute({ sql: "INSERT INTO cancelled_rentals VALUES (1, ?)", args: ["2000-01-01T00:00:00.000Z"] });
  expect(await createRetention(db, createLogger("test", "silent"), { outbox: false, inbox: false }).trim()).toEqual({});
  expect((await db.execute("SELECT COUNT(*) AS n FROM cancelled_rentals")).rows[0]!.n).toBe(1);
});
