/**
 * `npm run rebuild:mypage [-- --keep-rows] [-- --from-streams]`: rebuilds the customer view.
 *
 * By default from the events the view keeps itself (`mypage_events`, written with each fold):
 * the rows are dropped and refolded from that log, a few hundred rentals per transaction, with
 * no need for Redis and whatever the streams still hold (they are trimmed once every group
 * has acked). A running mypage may go on folding meanwhile (rebuild-mypages.ts says why that
 * is safe).
 *
 * Rows folded before the log existed (a database older than its migration) have no events
 * in it, and dropping them would lose those rentals: then it refuses and says what to do.
 *   --keep-rows     folds the log onto the rows as they are and drops nothing.
 *   --from-streams  the only way to rebuild such rows: drops the view and moves mypage's
 *                   consumer group back to the first entry of each stream, so a running
 *                   mypage (or the next one to start) re-reads everything, folding it and
 *                   logging it. It refuses once a stream was trimmed (the older rentals
 *                   would be lost), unless --keep-rows asks to replay what the streams hold
 *                   into the rows as they are.
 */
import { parseArgs } from "node:util";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { readConfig } from "./config.ts";
import { migrations } from "./migrations.ts";
import { createRebuildMypages } from "./mypages/rebuild-mypages.ts";
import { rebuildFromStreams } from "./rebuild-from-streams.ts";

const { values } = parseArgs({
  options: { "keep-rows": { type: "boolean", default: false }, "from-streams": { type: "boolean", default: false } },
});
const keepRows = values["keep-rows"];
const config = configOrExit(() => readConfig(withLocalRedis()));
const db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
try {
  await migrate(db, migrations);
  process.exitCode = values["from-streams"] ? await rebuildFromStreams(db, config, keepRows) : await fromEventLog(db, keepRows);
} finally {
  await db.close();
}

async function fromEventLog(db: Database, keepRows: boolean): Promise<number> {
  const outcome = await createRebuildMypages({ db })({ keepRows });
  if (outcome.kind === "refused-rows-before-log") {
    console.error(
      `rebuild: refused: ${outcome.rows} view row(s) were folded before the view kept its events, so dropping them would lose those rentals.\n` +
        "rebuild: run with --keep-rows to fold the kept events onto the rows as they are, or with --from-streams to replay the streams from their start (only while they still hold the whole history).",
    );
    return 1;
  }
  console.log(
    keepRows
      ? `rebuild: folded ${outcome.events} kept event(s) onto the rows of ${outcome.written} rental(s), dropping none`
      : `rebuild: dropped ${outcome.deleted} view row(s) and wrote ${outcome.written} again from ${outcome.events} kept event(s)`,
  );
  return 0;
}
