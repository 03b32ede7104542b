/**
 * `npm run rebuild:mypage [-- --keep-rows]`: drops the view and replays every stream from
 * its start.
 *
 * It empties the table and moves mypage's consumer group back to the first entry of each
 * stream; a running mypage (or the next one to start) re-reads everything. Folding is
 * idempotent, so events applied meanwhile do no harm.
 *
 * Once streams have been trimmed (STREAM_RETENTION_HOURS) they no longer hold the whole
 * history, and dropping the view would lose the older rentals: then it refuses, unless
 * `--keep-rows` asks to replay what the streams hold into the view as it is.
 */
import { parseArgs } from "node:util";
import { rewindGroup } from "@rentalnang/shared/bus/consumer-group";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { holdsWholeHistory } from "@rentalnang/shared/bus/trimmer";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf } from "@rentalnang/shared/topology/topology";
import { readConfig } from "./config.ts";
import { migrations } from "./migrations.ts";
import { clearMypages } from "./mypages/mypage-store.ts";

const { group, streams: sources } = consumerGroupOf("mypage")!;
const config = configOrExit(() => readConfig());
const db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrate(db, migrations);
const redis = connectRedis(config.REDIS_URL, "command", "mypage-rebuild");

const { values } = parseArgs({ options: { "keep-rows": { type: "boolean", default: false } } });
const streams = sources.map((source) => streamKey(config.STREAM_PREFIX, source));
const trimmed: string[] = [];
for (const stream of streams) {
  const h = await holdsWholeHistory(redis, stream);
  if (!h.whole) trimmed.push(`${stream} holds ${h.length} of the ${h.added} entries ever added`);
}
if (trimmed.length > 0 && !values["keep-rows"]) {
  console.error(`rebuild: refused: the streams were trimmed, so dropping the view would lose older rentals:\n  ${trimmed.join("\n  ")}\n` +
    "rebuild: run with --keep-rows to replay what they hold into the view without dropping it.");
  redis.disconnect();
  await db.close();
  process.exit(1);
}

const before = await db.execute("SELECT count(*) AS n FROM mypages");
// Clear first, then rewind: a replay must never start before the view is empty. If the
// rewind fails (Redis went away), the script fails loudly and can simply be run again.
if (!values["keep-rows"]) await clearMypages(db);
for (const stream of streams) {
  await rewindGroup(redis, stream, group);
  console.log(`rebuild: ${stream}: ${await redis.xlen(stream)} entries to replay`);
}
console.log(
  values["keep-rows"]
    ? `rebuild: kept ${before.rows[0]?.n ?? 0} view rows; mypage replays the streams from the start into them`
    : `rebuild: dropped ${before.rows[0]?.n ?? 0} view rows; mypage replays the streams from the start`,
);
redis.disconnect();
await db.close();
