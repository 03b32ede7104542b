import { rewindGroup } from "@rentalnang/shared/bus/consumer-group";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { readStreamState } from "@rentalnang/shared/bus/stream-groups";
import { holdsWholeHistory } from "@rentalnang/shared/bus/trimmer";
import { createProgress } from "@rentalnang/shared/cli/progress";
import type { Database } from "@rentalnang/shared/db/database";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf } from "@rentalnang/shared/topology/topology";
import { forgetRowsBeforeLog } from "./mypages/event-log-store.ts";
import { clearMypages } from "./mypages/mypage-store.ts";

const POLL_MS = 500;

/**
 * `rebuild:mypage --from-streams`: drops the view and moves mypage's consumer group back to
 * the first entry of every stream it reads, so mypage re-reads (and logs) everything. Only
 * while every stream still holds its whole history: otherwise it refuses (exit 1), unless
 * `keepRows` asks to replay what they hold into the rows as they are. Returns the exit code
 * and the entries mypage has to replay.
 */
export async function rebuildFromStreams(db: Database, redis: Redis, prefix: string, keepRows: boolean): Promise<{ code: number; entries: number }> {
  const streams = streamsOfMypage(prefix);
  const trimmed: string[] = [];
  for (const stream of streams) {
    const h = await holdsWholeHistory(redis, stream);
    if (!h.whole) trimmed.push(`${stream} holds ${h.length} of the ${h.added} entries ever added`);
  }
  if (trimmed.length > 0 && !keepRows) {
    console.error(`rebuild: refused: the streams were trimmed, so dropping the view would lose older rentals:\n  ${trimmed.join("\n  ")}\n` +
      "rebuild: run without --from-streams to rebuild from the events the view kept, or add --keep-rows to replay what the streams hold into the view without dropping it.");
    return { code: 1, entries: 0 };
  }
  const before = await db.execute("SELECT count(*) AS n FROM mypages");
  // Clear first, then rewind: a replay must never start before the view is empty. If the
  // rewind fails (Redis went away), the script fails loudly and can simply be run again.
  // The whole history is about to be folded and logged again: no row predates the log after it.
  if (!keepRows) await db.write(async (tx) => {
    await clearMypages(tx);
    await forgetRowsBeforeLog(tx);
  });
  let entries = 0;
  for (const stream of streams) {
    await rewindGroup(redis, stream, consumerGroupOf("mypage")!.group);
    const length = await redis.xlen(stream);
    entries += length;
    console.log(`rebuild: ${stream}: ${length} entries to replay`);
  }
  const rows = before.rows[0]?.n ?? 0;
  console.log(keepRows
    ? `rebuild: kept ${rows} view rows; mypage replays the streams from the start into them`
    : `rebuild: dropped ${rows} view rows; mypage replays the streams from the start`);
  return { code: 0, entries };
}

const streamsOfMypage = (prefix: string) => consumerGroupOf("mypage")!.streams.map((source) => streamKey(prefix, source));

/**
 * Waits, showing progress, until mypage's group has read and acked every entry (lag and
 * pending 0 on each stream): the view has caught up. Gives up after `stallMs` without any
 * progress (no mypage running). Returns whether it caught up.
 */
export async function waitForCatchUp(redis: Redis, prefix: string, entries: number, stallMs: number): Promise<boolean> {
  const { group, streams } = consumerGroupOf("mypage")!;
  const progress = createProgress({ label: "rebuild: mypage replaying", total: entries, unit: "entries" });
  let lastChange = Date.now();
  for (;;) {
    let left = 0;
    for (const stream of streamsOfMypage(prefix)) {
      const state = await readStreamState(redis, stream, [group]);
      const mine = state.groups.find((g) => g.group === group);
      left += (mine?.lag ?? 0) + (mine?.pending ?? 0);
    }
    const done = Math.max(0, entries - left);
    if (done !== progress.done) lastChange = Date.now();
    progress.update(done);
    if (left === 0) {
      progress.finish(`rebuild: the view has caught up: mypage replayed ${entries} entries of ${streams.length} streams`);
      return true;
    }
    if (Date.now() - lastChange > stallMs) {
      progress.finish(`rebuild: mypage read nothing for ${stallMs / 1000} s (${left} entries left): is it running? (npm start) It replays them when it starts`);
      return false;
    }
    await Bun.sleep(POLL_MS);
  }
}
