import { openDatabase, type Database } from "../../db/database.ts";
import { handleOnce } from "../../db/inbox.ts";
import { messagingMigration, migrate } from "../../db/migrate.ts";
import type { Envelope } from "../../events/envelope.ts";

/**
 * A consumer's effect, as a worker writes one: a row per handled event, committed with the
 * inbox record (shared/src/db/inbox.ts). Used by the crash tests and their child process.
 */
export async function openEffects(url: string): Promise<Database> {
  const db = await openDatabase(url);
  await migrate(db, [messagingMigration, {
    version: 2, name: "effects", statements: ["CREATE TABLE effects (n INTEGER NOT NULL, event_id TEXT NOT NULL)"],
  }]);
  return db;
}

/** Applies the event's effect at most once; false for a duplicate. */
export function recordEffect(db: Database, event: Envelope): Promise<boolean> {
  return handleOnce(db, "g", event, async (tx) => {
    await tx.execute({ sql: "INSERT INTO effects (n, event_id) VALUES (?, ?)", args: [(event.data as { n: number }).n, event.id] });
  });
}

/** How many times each event's effect was applied, by its number. */
export async function effectCounts(db: Database): Promise<Record<number, number>> {
  const rows = await db.execute("SELECT n, COUNT(*) AS times FROM effects GROUP BY n ORDER BY n");
  return Object.fromEntries(rows.rows.map((r) => [Number(r.n), Number(r.times)]));
}
