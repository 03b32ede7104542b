import { expect, test } from "bun:test";
import { StreamConsumer } from "@rentalnang/shared/bus/consumer/consumer";
import { publishAll } from "@rentalnang/shared/bus/publisher";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { createLogger } from "@rentalnang/shared/log/logger";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { connectTestRedis, testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { attemptsKey, deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf, type StreamName } from "@rentalnang/shared/topology/topology";
import { createEventHandler } from "./events/event-handler.ts";
import { migrations } from "./migrations.ts";
import { historyOf, scenarioNames } from "./mypages/histories.fixture.ts";

const cleanup = cleanupEach();
const { group, streams } = consumerGroupOf("mypage")!;
/** Which stream carries each event type: its publisher's. */
const streamOf: Record<string, StreamName> = {
  Rented: "rental", RentalCancelled: "rental", PaymentApproved: "payment", PaymentRefunded: "payment",
  ConfirmationRequested: "delivery", ReservationConfirmed: "delivery", ConfirmationCancelled: "delivery",
};

/** A mypage database and Redis with every scenario's events published; `fold()` runs a consumer until all are folded. */
async function setUp(label: string) {
  const { url } = await testRedis();
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix(label);
  const dir = cleanup.use(tempDir(label));
  const db = await openDatabase(dir.db("mypage"));
  cleanup.defer(() => db.close());
  await migrate(db, migrations);
  const events = scenarioNames.flatMap((scenario, i) => historyOf(i + 1, scenario));
  for (const e of events) await publishAll(redis, streamKey(prefix, streamOf[e.type]!), [JSON.stringify(e)]);
  const rows = async () => (await db.execute("SELECT * FROM mypages ORDER BY rental_id")).rows.map((r) => ({ ...r }));
  const kept = async () => Number((await db.execute("SELECT count(*) AS n FROM mypage_events")).rows[0]!.n);
  async function fold() {
    const consumer = new StreamConsumer({
      redis, openBlocking: () => connectRedis(url, "blocking", "test"), streams: streams.map((s) => streamKey(prefix, s)),
      group, consumer: "c1", deadLetterStream: deadLetterKey(prefix, group), attemptsKey: attemptsKey(prefix, group),
      ...createEventHandler({ db }), logger: createLogger("test", "silent"), blockMs: 100,
    });
    await consumer.start();
    const folded = await eventually(async () => {
      const now = await rows();
      return now.length === scenarioNames.length && (await kept()) === events.length && now;
    }, { what: "every event folded" });
    await consumer.stop();
    return folded;
  }
  const env = { DATABASE_URL: dir.db("mypage"), REDIS_URL: url, STREAM_PREFIX: prefix, LOG_LEVEL: "silent" };
  const rebuild = (...args: string[]) => runScript("workers/mypage/src/rebuild.ts", args, env);
  return { redis, prefix, db, events, rows, kept, fold, rebuild };
}

test("rebuild:mypage refolds the view from the events it kept, after the streams were trimmed", async () => {
  const { redis, prefix, db, events, rows, fold, rebuild } = await setUp("rebuild");
  const live = await fold();
  // What the trimmer does once every group has acked: the streams no longer hold the history.
  for (const s of streams) await redis.call("XTRIM", streamKey(prefix, s), "MAXLEN", "0");
  await db.execute("DELETE FROM mypages WHERE rental_id % 2 = 0");
  await db.execute("UPDATE mypages SET facts = '{}', status = 'Reserved'");

  const refused = await rebuild("--from-streams");
  expect(refused.code).toBe(1);
  expect(refused.err).toContain("refused: the streams were trimmed");

  const run = await rebuild();
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  expect(run.out).toContain(`wrote ${scenarioNames.length} again from ${events.length} kept event(s)`);
  expect(await rows()).toEqual(live);
});

test("a view folded before it kept its events: refused, and rebuilt from streams that still hold the history", async () => {
  const { db, events, rows, kept, fold, rebuild } = await setUp("legacy");
  // The view as an older mypage left it: its rows, no kept events.
  const live = await fold();
  await db.execute("DELETE FROM mypage_events");
  await db.execute("INSERT INTO mypages_before_event_log (rental_id) SELECT rental_id FROM mypages");

  const refused = await rebuild();
  expect(refused.code).toBe(1);
  expect(refused.err).toContain(`refused: ${scenarioNames.length} view row(s) were folded before the view kept its events`);
  expect(await rows()).toEqual(live);
  expect((await rebuild("--keep-rows")).code).toBe(0);
  expect(await rows()).toEqual(live);

  // No mypage runs here until fold(): the command returns without waiting for it.
  const replay = await rebuild("--from-streams", "--no-wait");
  expect(replay.code).toBe(0);
  expect(replay.out).toContain(`dropped ${scenarioNames.length} view rows; mypage replays the streams from the start`);
  expect(await rows()).toEqual([]);
  // mypage, running again, re-reads every stream: the rows come back and every event is kept.
  expect(await fold()).toEqual(live);
  expect(await kept()).toBe(events.length);
  const again = await rebuild();
  expect(again.code).toBe(0);
  expect(await rows()).toEqual(live);
});
