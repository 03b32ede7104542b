import type { Database, Row } from "./database.ts";
import type { DeadLetterRecord } from "../bus/dead-letter.ts";
import type { Executor } from "./executor.ts";
import type { Migration } from "./migrate.ts";

/**
 * The `dead_letters` table of a worker's database: where its consumer group's dead letters
 * go once its dead-letter stream is over its cap (shared/src/bus/dead-letter-mover.ts), so
 * that Redis holds a bounded number and none is ever dropped. The dead-letters CLI reads,
 * redrives and drops them here as on the stream.
 */

/** Every worker with a consumer group lists this among its migrations, numbered after its own. */
export function deadLetterMigration(version: number): Migration {
  return {
    version,
    name: "dead letters moved out of Redis",
    statements: [
      // letter_id is the letter's id on the dead-letter stream: unique, so a mover that died
      // between its insert and its XDEL inserts nothing twice when it moves the letter again.
      `CREATE TABLE dead_letters (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         group_name TEXT NOT NULL,
         letter_id TEXT NOT NULL,
         stream TEXT NOT NULL,
         entry_id TEXT NOT NULL,
         reason TEXT NOT NULL,
         deliveries INTEGER NOT NULL,
         fields TEXT NOT NULL,
         failed_at TEXT NOT NULL,
         moved_at TEXT NOT NULL,
         UNIQUE (group_name, letter_id))`,
    ],
  };
}

/** A dead letter and its id on the dead-letter stream it was written to. */
export type StoredDeadLetter = DeadLetterRecord & { id: string };

/** Keeps the letters (those already kept are skipped); returns how many were new. */
export async function storeDeadLetters(db: Database, letters: readonly StoredDeadLetter[], now = new Date().toISOString()): Promise<number> {
  if (letters.length === 0) return 0;
  return db.write(async (tx) => {
    let added = 0;
    for (const l of letters) {
      const r = await tx.execute({
        sql: `INSERT INTO dead_letters (group_name, letter_id, stream, entry_id, reason, deliveries, fields, failed_at, moved_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (group_name, letter_id) DO NOTHING`,
        args: [l.group, l.id, l.stream, l.entryId, l.reason, l.deliveries, JSON.stringify(l.fields), l.failedAt, now],
      });
      added += r.rowsAffected;
    }
    return added;
  });
}

function rowToLetter(r: Row): StoredDeadLetter {
  return {
    id: String(r.letter_id),
    group: String(r.group_name),
    stream: String(r.stream),
    entryId: String(r.entry_id),
    reason: String(r.reason),
    deliveries: Number(r.deliveries),
    fields: JSON.parse(String(r.fields)) as Record<string, string>,
    failedAt: String(r.failed_at),
  };
}

/** The group's kept letters, oldest first. */
export async function listStoredDeadLetters(db: Executor, group: string): Promise<StoredDeadLetter[]> {
  const r = await db.execute({ sql: "SELECT * FROM dead_letters WHERE group_name = ? ORDER BY id", args: [group] });
  return r.rows.map(rowToLetter);
}

export async function countStoredDeadLetters(db: Executor, group: string): Promise<number> {
  const r = await db.execute({ sql: "SELECT count(*) AS n FROM dead_letters WHERE group_name = ?", args: [group] });
  return Number(r.rows[0]?.n ?? 0);
}

/** Deletes one kept letter; returns whether it was there. */
export async function deleteStoredDeadLetter(db: Executor, group: string, id: string): Promise<boolean> {
  const r = await db.execute({ sql: "DELETE FROM dead_letters WHERE group_name = ? AND letter_id = ?", args: [group, id] });
  return r.rowsAffected > 0;
}
