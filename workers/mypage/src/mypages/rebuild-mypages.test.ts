import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { migrations } from "../migrations.ts";
import { historyOf, scenarioNames } from "./histories.fixture.ts";
import { empty, evolve } from "./mypage.ts";
import { saveMypage } from "./mypage-store.ts";
import { projectEvents } from "./project-events.ts";
import { createRebuildMypages } from "./rebuild-mypages.ts";

async function freshDb(upTo = Infinity): Promise<Database> {
  const db = await openDatabase(":memory:");
  await migrate(db, migrations.filter((m) => m.version <= upTo));
  return db;
}

const rows = async (db: Database) =>
  (await db.execute("SELECT rental_id, facts, customer_id, status, updated_at FROM mypages ORDER BY rental_id")).rows.map((r) => ({ ...r }));
const count = async (db: Database, table: string) => Number((await db.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

/** Delivers `events` as the consumer would: in batches, some events twice, in any order. */
const delivery = fc
  .record({
    rentals: fc.array(fc.constantFrom(...scenarioNames), { minLength: 1, maxLength: 8 }),
    dupes: fc.array(fc.nat(), { maxLength: 20 }),
    keys: fc.array(fc.double({ noNaN: true }), { minLength: 32, maxLength: 32 }),
    batch: fc.integer({ min: 1, max: 7 }),
    perTransaction: fc.integer({ min: 1, max: 4 }),
  });

function deliver(history: DomainEvent[], dupes: number[], keys: number[]): DomainEvent[] {
  const all = [...history, ...dupes.map((i) => history[i % history.length]!)];
  return all.map((e, i) => ({ e, k: keys[i % keys.length]! + i * 1e-9 })).sort((a, b) => a.k - b.k).map(({ e }) => e);
}

async function foldLive(db: Database, events: DomainEvent[], batch: number) {
  for (let i = 0; i < events.length; i += batch) await projectEvents(db, events.slice(i, i + batch));
}

describe("the view's event log", () => {
  test("each folded event is kept once, with what a timeline needs", async () => {
    const db = await freshDb();
    const history = historyOf(7, "confirmed by the manager");
    await foldLive(db, [...history, ...history], 3);
    expect(await count(db, "mypage_events")).toBe(history.length);
    const kept = await db.execute("SELECT * FROM mypage_events WHERE rental_id = 7 ORDER BY occurred_at");
    expect(kept.rows.map((r) => r.type)).toEqual(history.map((e) => e.type));
    expect({ ...kept.rows[0] }).toMatchObject({
      event_id: history[0]!.id, source: "test", occurred_at: history[0]!.occurredAt, correlation_id: "c7", causation_id: null,
      data: JSON.stringify(history[0]!.data),
    });
  });

  test("rebuilt from the log, the view has the live fold's rows, whatever the order, duplicates and batches", async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async ({ rentals, dupes, keys, batch, perTransaction }) => {
        const db = await freshDb();
        const histories = rentals.map((scenario, i) => historyOf(i + 1, scenario));
        await foldLive(db, deliver(histories.flat(), dupes, keys), batch);
        const live = await rows(db);
        // Each row is what the rental's history folds to in the order it happened.
        expect(live.map((r) => JSON.parse(String(r.facts)))).toEqual(histories.map((h, i) => h.reduce(evolve, empty(i + 1))));
        // A damaged view: a row lost, one wrong, one for a rental no event speaks of.
        await db.execute("DELETE FROM mypages WHERE rental_id = 1");
        await db.execute("UPDATE mypages SET status = 'Confirmed', facts = '{}' WHERE rental_id = 2");
        await saveMypage(db, { ...empty(999), updatedAt: "2026-01-01T00:00:00.000Z" });

        const outcome = await createRebuildMypages({ db })({ perTransaction });
        expect(outcome).toMatchObject({ kind: "rebuilt", written: rentals.length });
        expect(await rows(db)).toEqual(live);
        await db.close();
      }),
      { numRuns: 60 },
    );
  });

  test("rows folded before the log existed: it refuses to drop them; --keep-rows folds the log onto them", async () => {
    const db = await freshDb(1);
    const old = historyOf(1, "reserved, awaiting the manager");
    await saveMypage(db, old.reduce(evolve, empty(1)));
    await migrate(db, migrations);
    const confirmed = historyOf(1, "confirmed by the manager").at(-1)!;
    await projectEvents(db, [confirmed]);
    const before = await rows(db);

    expect(await createRebuildMypages({ db })()).toEqual({ kind: "refused-rows-before-log", rows: 1 });
    expect(await rows(db)).toEqual(before);

    expect(await createRebuildMypages({ db })({ keepRows: true })).toMatchObject({ kind: "rebuilt", deleted: 0, written: 1, events: 1 });
    expect(await rows(db)).toEqual(before);
    expect(await rows(db)).toMatchObject([{ rental_id: 1, status: "Confirmed" }]);
  });

  test("a batch of more rentals than one statement reads or writes folds each of them", async () => {
    const db = await freshDb();
    const histories = Array.from({ length: 1_200 }, (_, i) => historyOf(i + 1, scenarioNames[i % scenarioNames.length]!));
    const half = (h: DomainEvent[], first: boolean) => h.slice(first ? 0 : Math.ceil(h.length / 2), first ? Math.ceil(h.length / 2) : undefined);
    // The first batch makes every row; the second reads them all back and folds onto them.
    await projectEvents(db, histories.flatMap((h) => half(h, true)));
    await projectEvents(db, histories.flatMap((h) => half(h, false)));
    expect((await rows(db)).map((r) => JSON.parse(String(r.facts)))).toEqual(histories.map((h, i) => h.reduce(evolve, empty(i + 1))));
    await db.close();
  });

  test("a database migrated with an empty view can be rebuilt from the start", async () => {
    const db = await freshDb(1);
    await migrate(db, migrations);
    await projectEvents(db, historyOf(1, "declined"));
    expect(await createRebuildMypages({ db })()).toMatchObject({ kind: "rebuilt", deleted: 1, written: 1 });
  });
});
