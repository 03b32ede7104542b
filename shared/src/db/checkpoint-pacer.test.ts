import { expect, test } from "bun:test";
import Libsql from "libsql";
import { cleanupEach } from "../testing/cleanup.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { CHECKPOINT_EVERY_WRITES, CheckpointPacer } from "./checkpoint-pacer.ts";
import { databaseFile, openDatabase } from "./database.ts";

/**
 * The pacer checkpoints a database file's WAL on a connection of its own. Seen from the writer:
 * once every frame is copied into the database, the next write starts the WAL over, so
 * `PRAGMA wal_checkpoint` then counts only that write's frames; without a checkpoint they add
 * up. SQLite's own checkpoint is switched off on the writer here, so the pacer's is the only one.
 */

const cleanup = cleanupEach();

function writer() {
  const path = databaseFile(cleanup.use(tempDir("checkpoint")).db("test"))!;
  const db = new Libsql(path);
  cleanup.defer(() => db.close());
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v TEXT)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const write = () => insert.run("x".repeat(3000));
  const framesInWal = () => Number((db.pragma("wal_checkpoint(PASSIVE)") as { log: number }[])[0]!.log);
  // Counting copies every frame: count only just after a write that started the WAL over, or not.
  return { path, write, framesInWal };
}

test("after CHECKPOINT_EVERY_WRITES writes the pacer checkpoints, and the next write starts the WAL over", async () => {
  const { path, write, framesInWal } = writer();
  const pacer = new CheckpointPacer(path);
  for (let i = 0; i < CHECKPOINT_EVERY_WRITES; i++) {
    write();
    pacer.wrote();
  }
  await pacer.close(); // waits for the checkpoint under way
  write();
  expect(framesInWal()).toBeLessThan(5);
});

test("fewer writes ask for no checkpoint: the WAL keeps every frame", async () => {
  const { path, write, framesInWal } = writer();
  const pacer = new CheckpointPacer(path);
  for (let i = 0; i < CHECKPOINT_EVERY_WRITES - 1; i++) {
    write();
    pacer.wrote();
  }
  await pacer.close();
  write();
  expect(framesInWal()).toBeGreaterThanOrEqual(CHECKPOINT_EVERY_WRITES);
});

test("a database file with its pacer: writes, batches and reads across several checkpoints", async () => {
  const dir = cleanup.use(tempDir("checkpoint"));
  const db = await openDatabase(dir.db("paced"));
  await db.execute("CREATE TABLE t (n INTEGER)");
  for (let n = 0; n < 3 * CHECKPOINT_EVERY_WRITES; n++) {
    await db.write((tx) => tx.execute({ sql: "INSERT INTO t (n) VALUES (?)", args: [n] }));
  }
  await db.batch([{ sql: "INSERT INTO t (n) VALUES (?)", args: [-1] }]);
  const { rows } = await db.execute("SELECT count(*) AS c, sum(n) AS s FROM t");
  expect(rows[0]).toEqual({ c: 151, s: (149 * 150) / 2 - 1 });
  await db.close();
});
