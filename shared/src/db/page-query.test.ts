import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDatabase, type Database } from "./database.ts";
import { pageQuery, type PageSpec } from "./page-query.ts";

let db: Database;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, colour TEXT NOT NULL, gone INTEGER NOT NULL DEFAULT 0)");
  for (let id = 1; id <= 9; id++) {
    await db.execute({ sql: "INSERT INTO things (id, colour, gone) VALUES (?, ?, ?)", args: [id, id % 3 === 0 ? "red" : "blue", id === 5 ? 1 : 0] });
  }
});
afterEach(() => db.close());

const ids = async (spec: PageSpec & { colour?: string }) =>
  (await db.execute(pageQuery({ from: "SELECT id FROM things", idColumn: "id", equal: { colour: spec.colour }, always: ["gone = 0"], ...spec })))
    .rows.map((r) => Number(r.id));

/** Every id a list holds, page by page as a client follows the last id of each page. */
async function walk(order: "asc" | "desc", limit: number, colour?: string) {
  const seen: number[] = [];
  let after: number | undefined;
  for (;;) {
    const rows = await ids({ order, limit, after, colour });
    const page = rows.slice(0, limit);
    seen.push(...page);
    if (rows.length <= limit) return seen;
    after = page.at(-1);
  }
}

describe("a page query", () => {
  test("newest first by default: the ids below the cursor, one row more than asked", async () => {
    expect(await ids({ limit: 3 })).toEqual([9, 8, 7, 6]);
    expect(await ids({ limit: 3, after: 7 })).toEqual([6, 4, 3, 2]);
  });

  test("oldest first with asc: the ids above the cursor", async () => {
    expect(await ids({ limit: 3, order: "asc" })).toEqual([1, 2, 3, 4]);
    expect(await ids({ limit: 3, order: "asc", after: 4 })).toEqual([6, 7, 8, 9]);
  });

  test("either order walks every row once, without gaps or repeats, filters and fixed conditions kept", async () => {
    const all = [1, 2, 3, 4, 6, 7, 8, 9];
    for (const limit of [1, 2, 3, 8, 20]) {
      expect(await walk("asc", limit)).toEqual(all);
      expect(await walk("desc", limit)).toEqual(all.toReversed());
    }
    expect(await walk("asc", 1, "red")).toEqual([3, 6, 9]);
    expect(await walk("desc", 2, "red")).toEqual([9, 6, 3]);
  });
});
