import { rewindGroup } from "@rentalnang/shared/bus/consumer-group";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { holdsWholeHistory } from "@rentalnang/shared/bus/trimmer";
import type { Database } from "@rentalnang/shared/db/database";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf } from "@rentalnang/shared/topology/topology";
import type { Config } from "./config.ts";
import { forgetRowsBeforeLog } from "./mypages/event-log-store.ts";
import { clearMypages } from "./mypages/mypage-store.ts";

/**
 * `rebuild:mypage --from-streams`: drops the view and moves mypage's consumer group back to
 * the first entry of every stream it reads, so mypage re-reads (and logs) everything. Only
 * while every stream still holds its whole history: otherwise it refuses (exit 1), unless
 * `keepRows` asks to replay what they hold into the rows as they are. Returns the exit code.
 */
export async function rebuildFromStreams(db: Database, config: Config, keepRows: boolean): Promise<number> {
  const { group, streams: sources } = consumerGroupOf("mypage")!;
  const streams = sources.map((source) => streamKey(config.STREAM_PREFIX, source));
  const redis = connectRedis(config.REDIS_URL, "command", "mypage-rebuild");
  try {
    const trimmed: string[] = [];
    for (const stream of streams) {
      const h = await holdsWholeHistory(redis, stream);
      if (!h.whole) trimmed.push(`${stream} holds ${h.length} of the ${h.added} entries ever added`);
    }
    if (trimmed.length > 0 && !keepRows) {
      console.error(`rebuild: refused: the streams were trimmed, so dropping the view would lose older rentals:\n  ${trimmed.join("\n  ")}\n` +
        "rebuild: run without --from-streams to rebuild from the events the view kept, or add --keep-rows to replay what the streams hold into the view without dropping it.");
      return 1;
    }
    const before = await db.execute("SELECT count(*) AS n FROM mypages");
    // Clear first, then rewind: a replay must never start before the view is empty. If the
    // rewind fails (Redis went away), the script fails loudly and can simply be run again.
    // The whole history is about to be folded and logged again: no row predates the log after it.
    if (!keepRows) await db.write(async (tx) => {
      await clearMypages(tx);
      await forgetRowsBeforeLog(tx);
    });
    for (const stream of streams) {
      await rewindGroup(redis, stream, group);
      console.log(`rebuild: ${stream}: ${await redis.xlen(stream)} entries to replay`);
    }
    const rows = before.rows[0]?.n ?? 0;
    console.log(keepRows
      ? `rebuild: kept ${rows} view rows; mypage replays the streams from the start into them`
      : `rebuild: dropped ${rows} view rows; mypage replays the streams from the start`);
    return 0;
  } finally {
    redis.disconnect();
  }
}
