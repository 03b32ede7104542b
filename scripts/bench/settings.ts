import type { Database } from "@rentalnang/shared/db/database";

const SYNCHRONOUS = ["OFF", "NORMAL", "FULL", "EXTRA"];

/**
 * Each database's durability as a worker opens it: read back with PRAGMA on connections
 * opened with openDatabase, the one way every worker opens its database (journal_mode is kept
 * in the file itself; synchronous is set by openDatabase on each connection).
 */
export async function durabilityOf(dbs: Record<string, Database>): Promise<string> {
  const seen = new Set<string>();
  for (const db of Object.values(dbs)) {
    const sync = Number((await db.execute("PRAGMA synchronous")).rows[0]!.synchronous);
    const journal = String((await db.execute("PRAGMA journal_mode")).rows[0]!.journal_mode);
    seen.add(`synchronous ${SYNCHRONOUS[sync] ?? sync} (${sync}), journal_mode ${journal}`);
  }
  return [...seen].join("; ");
}
