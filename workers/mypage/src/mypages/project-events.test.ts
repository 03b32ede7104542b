import { afterEach, beforeEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { migrations } from "../migrations.ts";
import { historyOf } from "./histories.fixture.ts";
import { findMypage } from "./mypage-store.ts";
import { projectEvents } from "./project-events.ts";

/**
 * The fold writes and wakes only the rows a batch changed, on a real libSQL database: a
 * trigger of the test's own records every row written to `mypages`.
 */

let db: Database;
let woken: number[];

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  await db.execute("CREATE TABLE written (rental_id INTEGER)");
  await db.execute("CREATE TRIGGER on_insert AFTER INSERT ON mypages BEGIN INSERT INTO written VALUES (NEW.rental_id); END");
  await db.execute("CREATE TRIGGER on_update AFTER UPDATE ON mypages BEGIN INSERT INTO written VALUES (NEW.rental_id); END");
  woken = [];
});
afterEach(() => db.close());

const fold = (events: DomainEvent[]) => projectEvents(db, events, (ids) => woken.push(...ids));
/** The rows written, and the rows woken, since the last call. */
async function since(): Promise<{ written: number[]; woken: number[] }> {
  const r = await db.execute("SELECT rental_id FROM written ORDER BY rowid");
  await db.execute("DELETE FROM written");
  return { written: r.rows.map((row) => Number(row.rental_id)), woken: woken.splice(0) };
}

test("a batch writes and wakes the rows it changed, and leaves a row its events do not change unwritten and asleep", async () => {
  const first = historyOf(1, "confirmed by the manager");
  const [approved, rented, requested] = historyOf(2, "reserved, awaiting the manager");
  await fold([...first, approved!, rented!]);
  expect(await since()).toEqual({ written: [1, 2], woken: [1, 2] });
  const stored = await db.execute("SELECT facts FROM mypages WHERE rental_id = 1");

  await fold([...first, requested!]); // rental 1's events redelivered, rental 2's next one
  expect(await since()).toEqual({ written: [2], woken: [2] });
  expect((await db.execute("SELECT facts FROM mypages WHERE rental_id = 1")).rows).toEqual(stored.rows);

  await fold(first);
  expect(await since()).toEqual({ written: [], woken: [] });
  expect((await findMypage(db, 1))?.confirmed).toBe(true);
});
