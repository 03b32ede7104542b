import { EVENT_FIELD } from "../../bus/entries.ts";
import type { Redis } from "../../bus/redis.ts";
import type { Logger } from "../../log/logger.ts";
import type { Database } from "../database.ts";
import { outboxRows } from "./outbox-rows.ts";
import { beginCheck, endCheck, readRunRecord } from "./redis-run.ts";
import { compareStreamIds } from "./stream-ids.ts";

export interface LossCheckOptions {
  db: Database;
  redis: Redis;
  stream: string;
  /** Where the stream's trimmer records what it trimmed (trimmedToKey); without it nothing is taken as trimmed. */
  trimmedToKey?: string | undefined;
  logger: Logger;
}

/**
 * Makes sure every row this database marked published has its entry in the Redis process
 * `runId`, and marks unpublished (to go out again) the rows whose entries it lost. Returns
 * how many.
 *
 * A Redis that comes back (restart, failover) holds a prefix of the stream's history: AOF or
 * a replica loses only the newest writes. So one look decides: the newest entry this
 * database published is looked up in the stream; if it is there, or was trimmed (acked by
 * every group), nothing of ours was lost; if not, the newest entry the stream holds or
 * trimmed at or before it marks where the surviving history ends, and our rows after that
 * point are the lost ones. Entries added since the
 * restart (our own XADDs whose commit failed, another replica's, a redriven dead letter) get
 * ids after every entry of the old history, so they never move that point.
 *
 * Safe to run again after a crash at any step, and from several relays at once: marks wait
 * for the check (see redis-run.ts), unmarking a row twice changes nothing, and publishing a
 * row twice is harmless (consumers deduplicate by event id).
 */
export async function republishLost(o: LossCheckOptions, runId: string): Promise<number> {
  const record = await readRunRecord(o.db);
  if (record === runId || !(await beginCheck(o.db, runId))) return 0;
  const newest = await outboxRows.newestPublished(o.db);
  const survivedTo = newest ? await survivingHistoryEnd(o, runId, newest) : undefined;
  const lost = newest && survivedTo !== newest.streamId ? await outboxRows.unpublishAfter(o.db, survivedTo ?? "0-0") : 0;
  await endCheck(o.db, runId);
  // A clean restart of Redis (npm start stops the one it started) loses nothing: no alarm then.
  if (lost > 0) o.logger.warn({ republishing: lost, survivedTo, newest: newest?.streamId }, "Redis restarted; publishing again what it lost");
  else if (record !== undefined) o.logger.info({ survivedTo }, "Redis restarted; it kept every event this worker published");
  return lost;
}

/**
 * Where the history the process `runId` holds ends, at or before our newest entry: the newest
 * entry id it holds there, or the point up to which earlier processes trimmed it (an entry is
 * trimmed only once every group acked it, so it is not lost), "0-0" when neither.
 * Our own entry is told from a newer one that took its id (a clock gone back) by its event
 * id; then nothing of ours is trusted to be there.
 */
async function survivingHistoryEnd(
  o: LossCheckOptions,
  runId: string,
  newest: { eventId: string; streamId: string },
): Promise<string> {
  const pipeline = o.redis.pipeline().info("server").xrevrange(o.stream, newest.streamId, "-", "COUNT", 1);
  if (o.trimmedToKey) pipeline.hgetall(o.trimmedToKey);
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0];
  const [[, info], [, range], marks] = replies as [[null, string], [null, [string, string[]][]], [null, Record<string, string>]?];
  if (/run_id:(\w+)/.exec(info)?.[1] !== runId) throw new Error("Redis restarted again while its entries were being checked");
  const trimmedTo = trimmedBefore(marks?.[1] ?? {}, runId);
  if (compareStreamIds(trimmedTo, newest.streamId) >= 0) return newest.streamId;
  const [entry] = range;
  if (!entry) return trimmedTo;
  const [id, fields] = entry;
  if (id !== newest.streamId) return compareStreamIds(id, trimmedTo) > 0 ? id : trimmedTo;
  return eventIdOf(fields) === newest.eventId ? id : "0-0";
}

/**
 * How far the history the restarted process inherited was trimmed: the highest trim point
 * recorded by earlier processes. The process `runId`'s own trims are left out: it may have
 * trimmed entries added since the restart, past a point where entries were lost.
 */
function trimmedBefore(marks: Record<string, string>, runId: string): string {
  let highest = "0-0";
  for (const [run, id] of Object.entries(marks)) if (run !== runId && compareStreamIds(id, highest) > 0) highest = id;
  return highest;
}

function eventIdOf(fields: string[]): string | undefined {
  const at = fields.indexOf(EVENT_FIELD);
  try {
    return at >= 0 ? (JSON.parse(fields[at + 1]!) as { id?: string }).id : undefined;
  } catch {
    return undefined;
  }
}
