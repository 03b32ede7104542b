import { expect, test } from "bun:test";
import { join } from "node:path";
import { encodeDeadLetter } from "@rentalnang/shared/bus/dead-letter";
import { openDatabase } from "@rentalnang/shared/db/database";
import { deadLetterMigration, listStoredDeadLetters, storeDeadLetters } from "@rentalnang/shared/db/dead-letter-store";
import { migrate } from "@rentalnang/shared/db/migrate";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";

const cleanup = cleanupEach();

function letter(prefix: string, n: number) {
  const event = envelopeFor({ type: "Rented", version: 1, aggregateId: String(n), data: { n } }, "rental", { correlationId: `c${n}` });
  return {
    stream: streamKey(prefix, "rental"), entryId: `${n}-0`, group: "payment", reason: `reason ${n}`, deliveries: 5,
    fields: { event: JSON.stringify(event) }, failedAt: new Date().toISOString(),
  };
}

test("the CLI lists, redrives and drops the letters of both places: the stream and the worker's database", async () => {
  const { url } = await testRedis();
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix("dlcli");
  // The stack's data directory, as npm start lays it out: only payment's database exists.
  const dir = cleanup.use(tempDir("dlcli"));
  const db = await openDatabase(dir.db("payment"));
  cleanup.defer(() => db.close());
  await migrate(db, [deadLetterMigration(1)]);
  await storeDeadLetters(db, [{ ...letter(prefix, 1), id: "1000-0" }, { ...letter(prefix, 2), id: "1000-1" }]);
  const onStream = await redis.xadd(deadLetterKey(prefix, "payment"), "*", ...encodeDeadLetter(letter(prefix, 3)));
  const cli = (env: Record<string, string>, ...args: string[]) => runScript("scripts/dead-letters.ts", args, { REDIS_URL: url, STREAM_PREFIX: prefix, ...env });
  const beside = { DATA_DIR: dir.dir };

  const listed = await cli(beside, "list");
  expect(listed.code).toBe(0);
  expect(listed.out).toContain("payment  1000-0  in the database");
  expect(listed.out).toContain("payment  1000-1  in the database");
  expect(listed.out).toContain(`payment  ${onStream}  on the stream`);
  expect(listed.out).toContain("reason: reason 2");
  expect(listed.err).toContain(`no mypage database at file:${join(dir.dir, "mypage.db")}`);

  const redriven = await cli(beside, "redrive", "--group", "payment", "1000-0");
  expect(redriven.out).toContain("redrove 1");
  const back = await redis.xrange(streamKey(prefix, "rental"), "-", "+");
  expect(back.map(([, fields]) => JSON.parse(fields[1]!).data)).toEqual([{ n: 1 }]);
  expect((await listStoredDeadLetters(db, "payment")).map((l) => l.id)).toEqual(["1000-1"]);

  // Inside a worker's container: DATABASE_URL is that worker's database.
  const inPod = await cli({ DATA_DIR: join(dir.dir, "elsewhere"), DATABASE_URL: dir.db("payment") }, "list", "--group", "payment");
  expect(inPod.out).toContain("1000-1  in the database");
  expect(inPod.err).toBe("");

  const dropped = await cli(beside, "drop", "--group", "payment", "--all");
  expect(dropped.out).toContain("dropped 2");
  expect(await listStoredDeadLetters(db, "payment")).toEqual([]);
  expect(await redis.xlen(deadLetterKey(prefix, "payment"))).toBe(0);
});
