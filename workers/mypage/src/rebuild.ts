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
 *                   into the rows as they are. It then waits, with a progress line, until
 *                   mypage's group has read and acked every entry (the view caught up);
 *                   --no-wait returns at once.
 * The database: DATABASE_URL, else MYPAGE_DATABASE_URL, else where `npm start` puts it (DATA_DIR).
 */
import { parseCommand } from "@rentalnang/shared/cli/command";
import { positiveSeconds } from "@rentalnang/shared/cli/flags";
import { openExistingDatabase } from "@rentalnang/shared/cli/operator-database";
import { connectOperatorRedis } from "@rentalnang/shared/cli/operator-redis";
import { createProgress } from "@rentalnang/shared/cli/progress";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import type { Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { readConfig } from "./config.ts";
import { migrations } from "./migrations.ts";
import { createRebuildMypages } from "./mypages/rebuild-mypages.ts";
import { rebuildFromStreams, waitForCatchUp } from "./rebuild-from-streams.ts";

const NAME = "rebuild:mypage";
const { values } = parseCommand({
  name: NAME,
  summary: "Drops the customer view and refolds it from the events mypage kept (no stream history needed; a running mypage may go on).",
  flags: {
    "keep-rows": { type: "boolean", default: false, description: "fold the kept events onto the rows as they are, dropping none (a view older than the kept events)" },
    "from-streams": { type: "boolean", default: false, description: "drop the view and replay every stream from its start through a running mypage, waiting until it caught up" },
    "no-wait": { type: "boolean", default: false, description: "with --from-streams: return once the replay is set up, without waiting for mypage" },
    stall: { type: "string", default: "30", value: "SECONDS", description: "with --from-streams: stop waiting after this long without mypage reading anything" },
  },
  notes: [
    "settings: DATABASE_URL (else MYPAGE_DATABASE_URL, else DATA_DIR/mypage.db as npm start lays it out), DATABASE_AUTH_TOKEN;\n" +
      "with --from-streams also REDIS_URL (default the local Redis with npm start's password) and STREAM_PREFIX.",
  ],
  examples: ["npm run rebuild:mypage", "npm run rebuild:mypage -- --from-streams", "npm run rebuild:mypage -- --keep-rows"],
});
const stallMs = positiveSeconds("stall", values.stall);
const keepRows = values["keep-rows"];
const config = configOrExit(() => readConfig({ ...withLocalRedis(), DATABASE_URL: process.env.DATABASE_URL || workerDatabaseUrls().mypage }));
const db = await openExistingDatabase(NAME, "mypage", config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
try {
  await migrate(db, migrations);
  process.exitCode = values["from-streams"] ? await fromStreams(db) : await fromEventLog(db, keepRows);
} finally {
  await db.close();
}

async function fromStreams(db: Database): Promise<number> {
  const redis = await connectOperatorRedis(NAME, config.REDIS_URL, config.STREAM_PREFIX);
  try {
    const { code, entries } = await rebuildFromStreams(db, redis, config.STREAM_PREFIX, keepRows);
    if (code !== 0 || values["no-wait"]) return code;
    return (await waitForCatchUp(redis, config.STREAM_PREFIX, entries, stallMs)) ? 0 : 1;
  } finally {
    redis.disconnect();
  }
}

async function fromEventLog(db: Database, keepRows: boolean): Promise<number> {
  const progress = createProgress({ label: "rebuild: refolding", unit: "rentals" });
  const outcome = await createRebuildMypages({ db })({ keepRows, onRound: (rentals) => progress.tick(rentals) });
  if (outcome.kind === "refused-rows-before-log") {
    console.error(
      `rebuild: refused: ${outcome.rows} view row(s) were folded before the view kept its events, so dropping them would lose those rentals.\n` +
        "rebuild: run with --keep-rows to fold the kept events onto the rows as they are, or with --from-streams to replay the streams from their start (only while they still hold the whole history).",
    );
    return 1;
  }
  progress.finish(
    keepRows
      ? `rebuild: folded ${outcome.events} kept event(s) onto the rows of ${outcome.written} rental(s), dropping none; the view has caught up`
      : `rebuild: dropped ${outcome.deleted} view row(s) and wrote ${outcome.written} again from ${outcome.events} kept event(s); the view has caught up`,
  );
  return 0;
}
