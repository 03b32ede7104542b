import { describe, expect, test } from "bun:test";
import { openDatabase } from "../../db/database.ts";
import { handleOnce } from "../../db/inbox.ts";
import { messagingMigration, migrate } from "../../db/migrate.ts";
import { envelopeFor } from "../../db/outbox.ts";
import { eventually } from "../../testing/eventually.ts";
import { freePort, startRedisServer } from "../../testing/redis-server.ts";
import { attemptsKey } from "../../topology/redis-keys.ts";
import { event, numberOf, useConsumerFixture } from "./consumer-fixture.ts";
import { EVENT_FIELD, entryKey } from "../entries.ts";
import { publishAll } from "../publisher.ts";
import { connectRedis } from "../redis.ts";

/** The read loop and the janitor: what is read, when, and what happens to what was in hand. */
const f = useConsumerFixture();

describe("stream consumer", () => {
  test("an entry whose consumer dies before XACK is redelivered to the next one", async () => {
    const first = f.consumer(async () => {
      // The process "dies" mid-handler: it never returns, so nothing is acked.
      await new Promise(() => {});
    });
    await first.start();
    await f.publish(event(1));
    await eventually(async () => (await f.pendingCount()) === 1, { what: "entry pending", timeoutMs: 5_000 });
    // Abandon the first consumer without letting it ack (as SIGKILL would).
    f.abandon(first);

    const seen: string[] = [];
    const second = f.consumer(async (e) => void seen.push(e.id), { consumer: "c2" });
    await second.start();
    await eventually(() => seen.length === 1, { what: "redelivery by the janitor", timeoutMs: 5_000 });
    await eventually(async () => (await f.pendingCount()) === 0, { what: "ack", timeoutMs: 5_000 });
  });

  test("a restarted consumer reads its own pending entries first", async () => {
    await f.redis.call("XGROUP", "CREATE", f.stream, "g", "0", "MKSTREAM");
    await f.publish(event(1), event(2));
    // Deliver both to c1 without acking, as a crash right after XREADGROUP would leave them.
    await f.redis.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "10", "STREAMS", f.stream, ">");
    const seen: number[] = [];
    const c = f.consumer(async (e) => void seen.push(numberOf(e)), { claimIdleMs: 60_000 });
    await c.start();
    await eventually(() => seen.length === 2, { what: "pending entries", timeoutMs: 5_000 });
    expect(seen).toEqual([1, 2]);
    await eventually(async () => (await f.pendingCount()) === 0);
  });

  test("a duplicate delivery is skipped by the inbox", async () => {
    const db = await openDatabase(":memory:");
    await migrate(db, [messagingMigration]);
    let effects = 0;
    const c = f.consumer(async (e) => {
      await handleOnce(db, "g", e, async () => void effects++);
    });
    await c.start();
    const e = event(7);
    await f.publish(e, e, e);
    await eventually(async () => (await f.redis.xlen(f.stream)) === 3 && (await f.pendingCount()) === 0);
    await eventually(async () => {
      const r = await db.execute("SELECT count(*) AS n FROM inbox");
      return Number(r.rows[0]!.n) === 1;
    });
    expect(effects).toBe(1);
    await db.close();
  });

  test("the group is recreated after the stream is deleted (NOGROUP)", async () => {
    const seen: number[] = [];
    const c = f.consumer(async (e) => void seen.push(numberOf(e)));
    await c.start();
    await f.publish(event(1));
    await eventually(() => seen.length === 1);
    await f.redis.del(f.stream);
    await f.publish(event(2)); // recreates the stream, without the group
    await eventually(() => seen.includes(2), { what: "delivery after NOGROUP", timeoutMs: 10_000 });
    const groups = (await f.redis.xinfo("GROUPS", f.stream)) as unknown[][];
    expect(groups.length).toBe(1);
  });

  test("a consumer started while Redis is away reads once it is reachable", async () => {
    const port = await freePort();
    const lateUrl = `redis://127.0.0.1:${port}`;
    const late = connectRedis(lateUrl, "command", "test");
    const seen: number[] = [];
    const c = f.consumer(async (e) => void seen.push(numberOf(e)), {
      redis: late,
      openBlocking: () => connectRedis(lateUrl, "blocking", "test"),
    });
    await c.start(); // does not throw while nothing answers
    expect(c.running).toBe(false);
    const server = await startRedisServer(port);
    try {
      await eventually(async () => (await late.ping().catch(() => "")) === "PONG");
      await publishAll(late, f.stream, [JSON.stringify(event(12))]);
      await eventually(() => seen.includes(12), { what: "delivery once Redis is up", timeoutMs: 10_000 });
      expect(c.running).toBe(true);
    } finally {
      await c.stop();
      f.release(c);
      late.disconnect();
      await server.stop();
    }
  });

  test("an event of a type the handlers do not take is acked untouched: no handler call, no attempt taken", async () => {
    await f.redis.call("XGROUP", "CREATE", f.stream, "g", "0", "MKSTREAM");
    const cancelled = envelopeFor({ type: "RentalCancelled", version: 1, aggregateId: "5", data: { n: 5 } }, "rental", { correlationId: "c5" });
    await f.publish(event(1), cancelled);
    await f.redis.xadd(f.stream, "*", EVENT_FIELD, "{not json");
    // Two processes died holding the Rented entry: one more attempt at it would dead-letter it.
    const [[rentedId]] = (await f.redis.xrange(f.stream, "-", "+")) as [[string, string[]]];
    await f.redis.hset(attemptsKey(f.prefix, "g"), entryKey({ stream: f.stream, id: rentedId }), 2);
    const seen: string[] = [];
    const observed: string[] = [];
    const c = f.consumer(async (e) => void seen.push(e.type), {
      accepts: ["RentalCancelled"], maxCrashes: 2, observe: (outcome, type) => void observed.push(`${type}:${outcome}`),
    });
    await c.start();
    await eventually(async () => seen.length === 1 && (await f.redis.xlen(f.dead)) === 1 && (await f.pendingCount()) === 0, {
      what: "every entry settled", timeoutMs: 5_000,
    });
    expect(seen).toEqual(["RentalCancelled"]);
    // In the metrics the untouched one is skipped, not handled.
    expect(observed.toSorted()).toEqual(["RentalCancelled:ok", "Rented:skipped", "unknown:dead"].toSorted());
    // Only the poison entry is a dead letter; the Rented entry's old marks went with its ack.
    const reasons = (await f.redis.xrange(f.dead, "-", "+")).map(([, fields]) => fields[fields.indexOf("reason") + 1]);
    expect(reasons).toEqual(["event is not valid JSON"]);
    expect(await f.redis.exists(attemptsKey(f.prefix, "g"))).toBe(0);
  });

  test("a handler that fails once succeeds on redelivery and is acked", async () => {
    let attempts = 0;
    const c = f.consumer(async () => {
      if (++attempts === 1) throw new Error("transient");
    }, { claimIdleMs: 100 });
    await c.start();
    await f.publish(event(4));
    await eventually(async () => attempts === 2 && (await f.pendingCount()) === 0, { timeoutMs: 10_000 });
    expect(await f.redis.exists(f.dead)).toBe(0);
  });
});
