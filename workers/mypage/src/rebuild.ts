/**
 * `npm run rebuild:mypage`: drops the view and replays every stream from its start.
 *
 * It empties the table and moves mypage's consumer group back to the first entry of each
 * stream; a running mypage (or the next one to start) re-reads everything. Folding is
 * idempotent, so events applied meanwhile do no harm.
 */
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { streamKey } from "@rentalnang/shared/events/streams";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { readConfig } from "./config.ts";
import { migrations } from "./migrations.ts";
import { clearViews } from "./view/mypage-store.ts";

const GROUP = "mypage";
const config = configOrExit(() => readConfig());
const db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
await migrate(db, migrations);
const redis = connectRedis(config.REDIS_URL, "command", "mypage-rebuild");

const before = await db.execute("SELECT count(*) AS n FROM mypages");
await clearViews(db);
for (const source of ["rental", "payment", "delivery"] as const) {
  const stream = streamKey(config.STREAM_PREFIX, source);
  try {
    await redis.call("XGROUP", "SETID", stream, GROUP, "0");
  } catch {
    await redis.call("XGROUP", "CREATE", stream, GROUP, "0", "MKSTREAM");
  }
  console.log(`rebuild: ${stream}: ${await redis.xlen(stream)} entries to replay`);
}
console.log(`rebuild: dropped ${before.rows[0]?.n ?? 0} view rows; mypage replays the streams from the start`);
redis.disconnect();
await db.close();
