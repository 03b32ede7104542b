import { describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { encodeDeadLetter } from "../bus/dead-letter.ts";
import { publishAll } from "../bus/publisher.ts";
import { connectRedis, type Redis } from "../bus/redis.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { deadLetterMigration, listStoredDeadLetters } from "../db/dead-letter-store.ts";
import { migrate } from "../db/migrate.ts";
import { envelopeFor } from "../db/outbox.ts";
import { createLogger } from "../log/logger.ts";
import { Metrics } from "../observability/metrics.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { eventually } from "../testing/eventually.ts";
import { testPrefix, testRedis } from "../testing/harness.ts";
import { deadLetterKey, streamKey } from "../topology/redis-keys.ts";
import { workerConsumer, type WorkerConsumerOptions } from "./worker-consumer.ts";

const cleanup = cleanupEach();
/** The group every test wires (a worker's group is named after it). */
const group = "payment";

async function setUp(label: string, { table = true } = {}) {
  const url = (await testRedis()).url;
  const redis = connectRedis(url, "command", "test");
  cleanup.defer(() => redis.disconnect());
  const db = await openDatabase(":memory:");
  cleanup.defer(() => db.close());
  if (table) await migrate(db, [deadLetterMigration(1)]);
  return { url, redis, db, prefix: testPrefix(label), metrics: new Metrics("test") };
}

type SetUp = Awaited<ReturnType<typeof setUp>>;
const wire = (s: SetUp, extra: Partial<WorkerConsumerOptions> = {}) => {
  const wired = workerConsumer({
    name: group, config: { STREAM_PREFIX: s.prefix, REDIS_URL: s.url, DEAD_LETTER_STREAM_CAP: 1_000 }, consumes: ["rental"],
    redis: s.redis, db: s.db, metrics: s.metrics, logger: createLogger("test", "silent"), ...extra,
  });
  cleanup.defer(() => wired.stop());
  return wired;
};
const ignore = async () => {};
const consumersOf = async (redis: Redis, stream: string) =>
  ((await redis.call("XINFO", "CONSUMERS", stream, group)) as string[][]).map((c) => ({ name: c[1]!, pending: Number(c[3]) }));

describe("a worker's consumer", () => {
  test("while its database is away it stays ready, says it is degraded, and counts the seconds", async () => {
    const s = await setUp("wc");
    const wired = wire(s);
    await wired.start(async () => {
      throw Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" });
    });
    const event = envelopeFor({ type: "Rented", version: 1, aggregateId: "1", data: {} }, "rental", { correlationId: "c1" });
    await publishAll(s.redis, streamKey(s.prefix, "rental"), [JSON.stringify(event)]);

    // Recovery is the consumer's own business (shared/src/bus/consumer/outages-and-crashes.int.test.ts).
    const details = await eventually(async () => ((await wired.check()) ?? {}).degraded && (await wired.check()), { what: "degraded" });
    expect(details).toMatchObject({ group: "payment", deadLetters: 0, degraded: true, reason: expect.stringContaining("SQLITE_BUSY") });
    await Bun.sleep(200);
    const scraped = await s.metrics.registry.metrics();
    const seconds = Number(/consumer_degraded_seconds_total\{[^}]*\} ([\d.]+)/.exec(scraped)?.[1]);
    expect(seconds).toBeGreaterThan(0.1);
  });

  test("two consumers of one host and process get names of their own, from the host and the pid", async () => {
    const s = await setUp("names");
    const config = { STREAM_PREFIX: s.prefix, REDIS_URL: s.url, DEAD_LETTER_STREAM_CAP: 1_000, HOSTNAME: "pod-1" };
    // Each a process of its own in all but the pid: its own metrics registry.
    const a = wire(s, { config });
    const b = wire(s, { config, metrics: new Metrics("test") });
    expect(a.name).not.toBe(b.name);
    expect(a.name).toStartWith(`pod-1-${process.pid}-`);
    expect(wire(s, { metrics: new Metrics("test") }).name).toStartWith(`${hostname()}-${process.pid}-`);
    await a.start(ignore);
    await b.start(ignore);
    const stream = streamKey(s.prefix, "rental");
    const names = await eventually(async () => {
      const now = (await consumersOf(s.redis, stream)).map((c) => c.name);
      return now.length === 2 && now;
    }, { what: "both consumers in the group" });
    expect(names.toSorted()).toEqual([a.name, b.name].toSorted());
  });

  test("names left idle by stopped processes leave the group; one still holding entries stays", async () => {
    const s = await setUp("stale");
    const stream = streamKey(s.prefix, "rental");
    await s.redis.call("XGROUP", "CREATE", stream, group, "0", "MKSTREAM");
    await s.redis.xadd(stream, "*", "event", "{}");
    await s.redis.call("XREADGROUP", "GROUP", group, "gone-holding", "COUNT", "1", "STREAMS", stream, ">");
    await s.redis.call("XGROUP", "CREATECONSUMER", stream, group, "gone-idle");
    await Bun.sleep(150);

    const wired = wire(s, { housekeeping: { everyMs: 50, staleConsumerIdleMs: 100 } });
    await wired.start(ignore);
    const left = await eventually(async () => {
      const now = await consumersOf(s.redis, stream);
      return !now.some((c) => c.name === "gone-idle") && now;
    }, { what: "the idle name removed" });
    expect(left).toContainEqual({ name: "gone-holding", pending: 1 });
    expect(left.map((c) => c.name)).toContain(wired.name);
  });

  test("dead letters beyond the cap move to the database, oldest first; readiness counts both places", async () => {
    const s = await setUp("dlcap");
    const dead = deadLetterKey(s.prefix, "payment");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const letter = { stream: streamKey(s.prefix, "rental"), entryId: `${i}-1`, group: "payment", reason: `r${i}`, deliveries: 5, fields: { event: `{"n":${i}}` }, failedAt: new Date().toISOString() };
      ids.push((await s.redis.xadd(dead, "*", ...encodeDeadLetter(letter)))!);
    }
    const wired = wire(s, {
      config: { STREAM_PREFIX: s.prefix, REDIS_URL: s.url, DEAD_LETTER_STREAM_CAP: 2 }, housekeeping: { everyMs: 50 },
    });
    await wired.start(ignore);
    await eventually(async () => (await s.redis.xlen(dead)) === 2, { what: "the stream down to its cap" });
    const stored = await listStoredDeadLetters(s.db, "payment");
    expect(stored.map((l) => l.id)).toEqual(ids.slice(0, 3));
    expect(stored[0]).toMatchObject({ reason: "r0", entryId: "0-1", deliveries: 5, fields: { event: '{"n":0}' } });
    expect((await s.redis.xrange(dead, "-", "+")).map(([id]) => id)).toEqual(ids.slice(3));
    expect(await wired.check()).toMatchObject({ deadLetters: 5, deadLettersInDatabase: 3 });
    const scraped = await s.metrics.registry.metrics();
    expect(scraped).toMatch(/dead_letters\{[^}]*place="database"[^}]*\} 3/);
    expect(scraped).toMatch(/dead_letters\{[^}]*place="stream"[^}]*\} 2/);
  });

  test("refuses to start on a database without the dead_letters table", async () => {
    const s = await setUp("notable", { table: false });
    await expect(wire(s).start(ignore)).rejects.toThrow(/deadLetterMigration/);
  });
});
