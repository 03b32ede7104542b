import { describe, expect, test } from "bun:test";
import { cleanupEach } from "../testing/cleanup.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { openDatabase, type Database } from "./database.ts";
import { isDatabaseUnavailable } from "./errors.ts";

/**
 * Database on both of its paths: a file opened with the embedded engine (statements prepared
 * once and kept), and the same file through @libsql/client, the path a libSQL server's URL
 * takes. Every behaviour a store relies on must be the same on both.
 */

const cleanup = cleanupEach();

const paths = {
  embedded: (url: string) => openDatabase(url),
  "libSQL client": (url: string) => openDatabase(url, { viaClient: true }),
};

async function fresh(open: (url: string) => Promise<Database>): Promise<Database> {
  const dir = cleanup.use(tempDir("database"));
  const db = await open(dir.db("test"));
  cleanup.defer(() => db.close());
  await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, n INTEGER)");
  return db;
}

const values = async (db: Database) => (await db.execute("SELECT v FROM t ORDER BY id")).rows.map((r) => r.v);

for (const [name, open] of Object.entries(paths)) {
  describe(`Database, ${name}`, () => {
    test("durability as every worker opens it: WAL, synchronous NORMAL", async () => {
      const db = await fresh(open);
      expect((await db.execute("PRAGMA journal_mode")).rows[0]).toEqual({ journal_mode: "wal" });
      expect((await db.execute("PRAGMA synchronous")).rows[0]).toEqual({ synchronous: 1 });
    });

    test("a write commits when its function returns and rolls back when it throws", async () => {
      const db = await fresh(open);
      await db.write((tx) => tx.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["kept"] }));
      const failed = db.write(async (tx) => {
        await tx.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["dropped"] });
        throw new Error("the use case refused");
      });
      await expect(failed).rejects.toThrow("the use case refused");
      await failed.catch(() => {});
      expect(await values(db)).toEqual(["kept"]);
    });

    test("rows by column name, RETURNING rows, and rowsAffected of a write", async () => {
      const db = await fresh(open);
      const inserted = await db.write((tx) => tx.execute({ sql: "INSERT INTO t (v, n) VALUES (?, ?) RETURNING *", args: ["a", 2] }));
      expect(inserted.rows).toEqual([{ id: 1, v: "a", n: 2 }]);
      const again = { sql: "INSERT INTO t (v) VALUES (?) ON CONFLICT DO NOTHING", args: ["a"] };
      expect((await db.execute(again)).rowsAffected).toBe(0);
      expect((await db.execute({ ...again, args: ["b"] })).rowsAffected).toBe(1);
      const read = await db.execute({ sql: "SELECT id, v, n, 1.5 AS f, NULL AS z FROM t WHERE v = ?", args: ["b"] });
      expect(read.rows).toEqual([{ id: 2, v: "b", n: null, f: 1.5, z: null }]);
      expect(read.rowsAffected).toBe(0);
    });

    test("booleans are bound as 1 and 0, undefined is refused, and the database stays usable", async () => {
      const db = await fresh(open);
      await db.execute({ sql: "INSERT INTO t (v, n) VALUES (?, ?)", args: ["yes", true] });
      expect((await db.execute({ sql: "SELECT n FROM t WHERE n = ?", args: [true] })).rows).toEqual([{ n: 1 }]);
      await expect(db.execute({ sql: "INSERT INTO t (v, n) VALUES (?, ?)", args: ["u", undefined as never] })).rejects.toThrow(TypeError);
      expect(await values(db)).toEqual(["yes"]);
    });

    test("a constraint is the caller's error, with the base code, and the statement runs again afterwards", async () => {
      const db = await fresh(open);
      const insert = { sql: "INSERT INTO t (v) VALUES (?)", args: ["same"] };
      await db.execute(insert);
      const error = await db.write((tx) => tx.execute(insert)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "SQLITE_CONSTRAINT", extendedCode: "SQLITE_CONSTRAINT_UNIQUE" });
      expect(isDatabaseUnavailable(error)).toBe(false);
      await db.execute({ ...insert, args: ["other"] });
      expect(await values(db)).toEqual(["same", "other"]);
      await expect(db.execute("SELEC nothing")).rejects.toMatchObject({ code: "SQLITE_ERROR" });
    });

    test("a batch is all or nothing", async () => {
      const db = await fresh(open);
      const failed = db.batch([
        { sql: "INSERT INTO t (v) VALUES (?)", args: ["first"] },
        { sql: "INSERT INTO t (v) VALUES (?)", args: ["first"] },
      ]);
      await expect(failed).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
      await failed.catch(() => {});
      const done = await db.batch([
        { sql: "INSERT INTO t (v) VALUES (?)", args: ["x"] },
        { sql: "UPDATE t SET n = 5 WHERE v = ?", args: ["x"] },
      ]);
      expect(done.map((r) => r.rowsAffected)).toEqual([1, 1]);
      expect(await values(db)).toEqual(["x"]);
    });

    test("a read waits for the write under way, and sees it committed", async () => {
      const db = await fresh(open);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const writing = db.write(async (tx) => {
        await tx.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["during"] });
        await held;
      });
      const reading = values(db);
      release();
      await writing;
      expect(await reading).toEqual(["during"]);
    });

    test("a statement run before the schema changed runs after it, on the new schema", async () => {
      const db = await fresh(open);
      await db.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["a"] });
      expect((await db.execute("SELECT * FROM t")).rows).toEqual([{ id: 1, v: "a", n: null }]);
      await db.write((tx) => tx.execute("ALTER TABLE t ADD COLUMN w TEXT"));
      expect((await db.execute("SELECT * FROM t")).rows).toEqual([{ id: 1, v: "a", n: null, w: null }]);
    });

    test("more distinct statements than are kept prepared all run", async () => {
      const db = await fresh(open);
      for (let i = 0; i < 600; i++) await db.execute({ sql: `INSERT INTO t (v, n) VALUES (?, ${i})`, args: [`v${i}`] });
      expect((await db.execute("SELECT count(*) AS n, sum(n) AS s FROM t")).rows).toEqual([{ n: 600, s: (599 * 600) / 2 }]);
    });

    test("two processes' connections on one file see each other's commits (replicas)", async () => {
      const dir = cleanup.use(tempDir("database"));
      const [a, b] = [await open(dir.db("shared")), await open(dir.db("shared"))];
      cleanup.defer(() => a.close());
      cleanup.defer(() => b.close());
      await a.execute("CREATE TABLE t (v TEXT)");
      await a.write((tx) => tx.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["from a"] }));
      await b.write((tx) => tx.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["from b"] }));
      expect((await a.execute("SELECT v FROM t ORDER BY v")).rows.map((r) => r.v)).toEqual(["from a", "from b"]);
    });
  });
}

test(":memory: works on the embedded path: one connection, so one database", async () => {
  const db = await openDatabase(":memory:");
  cleanup.defer(() => db.close());
  await db.execute("CREATE TABLE m (v TEXT)");
  await db.write((tx) => tx.execute({ sql: "INSERT INTO m (v) VALUES (?)", args: ["here"] }));
  expect((await db.execute("SELECT v FROM m")).rows).toEqual([{ v: "here" }]);
});
