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

test("rebuild:mypage refolds the view from the events it kept, after the streams were trimmed", async () => {
  const { url } = await testRedis();
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix("rebuild");
  const dir = cleanup.use(tempDir("rebuild"));
  const db = await openDatabase(dir.db("mypage"));
  cleanup.defer(() => db.close());
  await migrate(db, migrations);

  const events = scenarioNames.flatMap((scenario, i) => historyOf(i + 1, scenario));
  for (const e of events) await publishAll(redis, streamKey(prefix, streamOf[e.type]!), [JSON.stringify(e)]);
  const consumer = new StreamConsumer({
    redis, openBlocking: () => connectRedis(url, "blocking", "test"), streams: streams.map((s) => streamKey(prefix, s)),
    group, consumer: "c1", deadLetterStream: deadLetterKey(prefix, group), attemptsKey: attemptsKey(prefix, group),
    ...createEventHandler({ db }), logger: createLogger("test", "silent"), blockMs: 100,
  });
  await consumer.start();
  const rows = async () => (await db.execute("SELECT * FROM mypages ORDER BY rental_id")).rows.map((r) => ({ ...r }));
  const live = await eventually(async () => {
    const now = await rows();
    return now.length === scenarioNames.length && (await db.execute("SELECT count(*) AS n FROM mypage_events")).rows[0]!.n === events.length && now;
  }, { what: "every event folded" });
  await consumer.stop();
  // What the trimmer does once every group has acked: the streams no longer hold the history.
  for (const s of streams) await redis.call("XTRIM", streamKey(prefix, s), "MAXLEN", "0");
  await db.execute("DELETE FROM mypages WHERE rental_id % 2 = 0");
  await db.execute("UPDATE mypages SET facts = '{}', status = 'Reserved'");

  const env = { DATABASE_URL: dir.db("mypage"), REDIS_URL: url, STREAM_PREFIX: prefix, LOG_LEVEL: "silent" };
  const refused = await runScript("workers/mypage/src/rebuild.ts", ["--from-streams"], env);
  expect(refused.code).toBe(1);
  expect(refused.err).toContain("refused: the streams were trimmed");

  const run = await runScript("workers/mypage/src/rebuild.ts", [], env);
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  expect(run.out).toContain(`wrote ${scenarioNames.length} again from ${events.length} kept event(s)`);
  expect(await rows()).toEqual(live);
});
