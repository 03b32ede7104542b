import { databaseExists } from "@rentalnang/shared/cli/operator-database";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { countStoredDeadLetters } from "@rentalnang/shared/db/dead-letter-store";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import type { GroupDatabases } from "@rentalnang/shared/dead-letters/dead-letters";

/**
 * Opens the database of each group's worker (a group is named after its worker) to read the
 * letters moved there. One that is not there — a file that does not exist (never created
 * here: a wrong DATA_DIR would otherwise leave empty databases behind), or one without the
 * table yet — is skipped with a note, and that group's stream letters are still handled.
 */
export async function openGroupDatabases(groups: readonly WorkerName[], urls: Record<WorkerName, string>, authToken?: string) {
  const dbs: GroupDatabases = {};
  const notes: string[] = [];
  for (const group of groups) {
    const url = urls[group];
    if (!databaseExists(url)) {
      notes.push(`no ${group} database at ${url}: only the letters on its stream are shown`);
      continue;
    }
    let db: Database | undefined;
    try {
      db = await openDatabase(url, authToken);
      await countStoredDeadLetters(db, group);
      dbs[group] = db;
    } catch (error) {
      await db?.close();
      notes.push(`the ${group} database at ${url} cannot be read (${error instanceof Error ? error.message : error}): only the letters on its stream are shown`);
    }
  }
  return { dbs, notes, close: () => Promise.all(Object.values(dbs).map((db) => db!.close())) };
}
