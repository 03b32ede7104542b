import { expect, test } from "bun:test";
import Libsql from "libsql";
import { cleanupEach } from "../testing/cleanup.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { CHECKPOINT_EVERY_WRITES } from "./checkpoint-pacer.ts";
import { databaseFile, openDatabase, type Database } from "./database.ts";

/**
 * What `Database.execute` counts towards its file's checkpoint pacer: a single statement that
 * changed rows, and nothing else. Seen on the file itself, from a second connection kept open
 * throughout (so that closing the database's own is not the last close, which would checkpoint
 * by itself): `close()` waits for a checkpoint under way, then one write from the second
 * connection starts the WAL over if the pacer checkpointed, and `PRAGMA wal_checkpoint` counts
 * that write's frames only; if it did not, the frames of every write before are still there.
 * The rows are small, so SQLite's own checkpoint (at 1000 frames) never comes into it.
 */

const cleanup = cleanupEach();

async function pacedFile() {
  const dir = cleanup.use(tempDir("pacing"));
  const db = await openDatabase(dir.db("paced"));
  const observer = new Libsql(databaseFile(dir.db("paced"))!);
  cleanup.defer(() => observer.close());
  await db.execute("CREATE TABLE t (n INTEGER)");
  observer.prepare("SELECT count(*) FROM t").get(); // the second connection is in the WAL before any close
  const insert = (n: number) => db.execute({ sql: "INSERT INTO t (n) VALUES (?)", args: [n] });
  /** Closes the database (waiting for the pacer), writes once more, and counts the WAL's frames. */
  const framesAfterClose = async () => {
    await db.close();
    observer.prepare("INSERT INTO t (n) VALUES (-1)").run();
    return Number((observer.pragma("wal_checkpoint(PASSIVE)") as { log: number }[])[0]!.log);
  };
  return { db, insert, framesAfterClose };
}

/** Statements that read, or change no row. */
const unchanging = (db: Database) => [
  () => db.execute("SELECT count(*) AS c FROM t"),
  () => db.execute({ sql: "UPDATE t SET n = n WHERE n < ?", args: [-100] }),
  () => db.execute("DELETE FROM t WHERE n IS NULL"),
  () => db.execute("INSERT INTO t (n) SELECT n FROM t WHERE 0"),
  () => db.ping(),
];

test("CHECKPOINT_EVERY_WRITES single statements that change rows checkpoint the WAL", async () => {
  const { insert, framesAfterClose } = await pacedFile();
  for (let n = 0; n < CHECKPOINT_EVERY_WRITES; n++) await insert(n);
  expect(await framesAfterClose()).toBeLessThan(5);
});

/**
 * One write short of a checkpoint, then only statements that change nothing, the first right
 * after that write (a count left over from it would show): were any of them counted, the pacer
 * would checkpoint with nothing written after it, and the WAL would start over.
 */
test("reads and statements that change no row are not counted", async () => {
  const { db, insert, framesAfterClose } = await pacedFile();
  for (let n = 0; n < CHECKPOINT_EVERY_WRITES - 1; n++) await insert(n);
  for (const statement of unchanging(db)) {
    await statement();
    await statement();
  }
  expect(await framesAfterClose()).toBeGreaterThanOrEqual(CHECKPOINT_EVERY_WRITES);
});
