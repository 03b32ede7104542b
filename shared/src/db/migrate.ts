import type { Database } from "./database.ts";

/** A numbered migration: its statements run in one transaction, recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** Applies pending migrations in order; safe to run on every start and from many replicas. */
export async function migrate(db: Database, migrations: Migration[]): Promise<number[]> {
  await db.execute(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const applied: number[] = [];
  for (const m of sorted) {
    const done = await db.write(async (tx) => {
      const seen = await tx.execute({
        sql: "SELECT 1 FROM schema_migrations WHERE version = ?",
        args: [m.version],
      });
      if (seen.rows.length > 0) return false;
      for (const sql of m.statements) await tx.execute(sql);
      await tx.execute({
        sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        args: [m.version, m.name, new Date().toISOString()],
      });
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** The tables every event-driven worker has: the outbox and the inbox. */
export const messagingMigration: Migration = {
  version: 1,
  name: "outbox and inbox",
  statements: [
    `CREATE TABLE outbox (
       seq INTEGER PRIMARY KEY AUTOINCREMENT,
       event_id TEXT NOT NULL UNIQUE,
       envelope TEXT NOT NULL,
       created_at TEXT NOT NULL,
       published_at TEXT,
       stream_id TEXT)`,
    "CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL",
    `CREATE TABLE inbox (
       consumer TEXT NOT NULL,
       event_id TEXT NOT NULL,
       processed_at TEXT NOT NULL,
       PRIMARY KEY (consumer, event_id))`,
    // What the outbox relay remembers across restarts (the Redis run id it last saw).
    "CREATE TABLE relay_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
  ],
};
