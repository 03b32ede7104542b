import { afterEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { migrations } from "./migrations.ts";

/** A rental kept from before windows existed holds the window it was charged for: from its creation, for its hours. */

let db: Database;
afterEach(() => db.close());

test("migration 6 gives each rental kept from before the window from its creation, for its hours", async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations.filter((m) => m.version < 6));
  await db.execute(`INSERT INTO rentals (car_id, rent_hour, price, status, created_at, updated_at)
                    VALUES ('aaa', 3, 3000, 'Reserved', '2026-03-01T10:15:30.250Z', '2026-03-01T10:15:30.250Z')`);
  expect(await migrate(db, migrations)).toEqual([6]);
  const row = (await db.execute("SELECT start_at, end_at FROM rentals")).rows[0]!;
  expect([row.start_at, row.end_at]).toEqual(["2026-03-01T10:15:30.250Z", "2026-03-01T13:15:30.250Z"]);
  expect((await db.execute("SELECT count(*) AS n FROM cars")).rows[0]!.n).toBe(0);
});
