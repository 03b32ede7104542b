import type { Database } from "../database.ts";

/*
 * relay_state 'redis_run_id' names the Redis process (its INFO run_id) that holds the entry
 * of every outbox row marked published in this database. A relay may mark a row only while
 * the record names the process its XADD went to (RUN_GUARD, checked in the same statement).
 * While the rows are being checked against a new process the record reads
 * `checking:<run id>`, which equals no run id: no mark lands mid-check, from any relay, for
 * any process, so a check sees every row it has to see. A check that dies midway leaves the
 * record as it is, and the next relay to publish runs it again.
 */

const CHECKING = "checking:";

/** SQL condition "the rows are known to be in the Redis process `?`" (one argument: its run id). */
export const RUN_GUARD = "EXISTS (SELECT 1 FROM relay_state WHERE key = 'redis_run_id' AND value = ?)";

/** The record as it is: a run id, a check under way, or undefined before the first publish. */
export async function readRunRecord(db: Database): Promise<string | undefined> {
  const r = await db.execute("SELECT value FROM relay_state WHERE key = 'redis_run_id'");
  return r.rows[0]?.value as string | undefined;
}

/** Stops every mark until the check against `runId` ends; false if it already ended. */
export async function beginCheck(db: Database, runId: string): Promise<boolean> {
  const r = await db.execute({
    sql: `INSERT INTO relay_state (key, value) VALUES ('redis_run_id', ?)
          ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE relay_state.value <> ?`,
    args: [CHECKING + runId, runId],
  });
  return r.rowsAffected > 0;
}

/** Records that every published row is in `runId`, unless a check for another process began meanwhile. */
export async function endCheck(db: Database, runId: string): Promise<void> {
  await db.execute({
    sql: "UPDATE relay_state SET value = ? WHERE key = 'redis_run_id' AND value = ?",
    args: [runId, CHECKING + runId],
  });
}
