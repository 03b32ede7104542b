import { beforeEach, describe, expect, test } from "bun:test";
import { openDatabase, type Database } from "../db/database.ts";
import { handleOnce } from "../db/inbox.ts";
import { messagingMigration, migrate } from "../db/migrate.ts";
import { envelopeFor } from "../db/outbox.ts";
import { parseDomainEvent } from "../events/catalog.ts";
import type { Envelope } from "../events/envelope.ts";
import { createLogger } from "../log/logger.ts";
import { testPrefix, testRedis } from "../testing/harness.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { eventually } from "../testing/eventually.ts";
import { freePort, startRedisServer } from "../testing/redis-server.ts";
import { StreamConsumer, type ConsumerOptions } from "./consumer.ts";
import { EVENT_FIELD } from "./entries.ts";
import { publishAll } from "./publisher.ts";
import { connectRedis, type Redis } from "./redis.ts";

const logger = createLogger("test", "silent");

let redis: Redis;
let url: string;
let prefix: string;
let stream: string;
let dead: string;
const cleanup = cleanupEach();

beforeEach(async () => {
  url = (await testRedis()).url;
  redis = connectRedis(url, "command", "test");
  cleanup.defer(() => redis.disconnect());
  prefix = testPrefix("bus");
  stream = `${prefix}:events:rental`;
  dead = `${prefix}:dead:g`;
});

/**
 * A consumer stopped at cleanup, then its blocking connection closed (cleanup runs the last
 * registered first). `forget()` leaves it to the test: one it stopped, or abandons as a kill would.
 */
function consumer(handle: ConsumerOptions["handle"], extra: Partial<ConsumerOptions> = {}) {
  const openBlocking = extra.openBlocking ?? (() => connectRedis(url, "blocking", "test"));
  let blocking: Redis | undefined;
  cleanup.defer(() => blocking?.disconnect());
  const c = new StreamConsumer({
    redis,
    streams: [stream],
    group: "g",
    consumer: "c1",
    deadLetterStream: dead,
    handle,
    logger,
    blockMs: 200,
    claimIdleMs: 300,
    ...extra,
    openBlocking: () => (blocking = openBlocking()),
  });
  return Object.assign(c, { forget: cleanup.defer(() => c.stop()) });
}

const event = (n: number): Envelope =>
  envelopeFor({ type: "Rented", version: 1, aggregateId: String(n), data: { n } }, "rental", { correlationId: `c${n}` });

async function publish(...events: Envelope[]) {
  await publishAll(redis, stream, events.map((e) => JSON.stringify(e)));
}

async function pendingCount(group = "g") {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

describe("stream consumer", () => {
  test("an entry whose consumer dies before XACK is redelivered to the next one", async () => {
    const first = consumer(async () => {
      // The process "dies" mid-handler: it never returns, so nothing is acked.
      await new Promise(() => {});
    });
    await first.start();
    await publish(event(1));
    await eventually(async () => (await pendingCount()) === 1, { what: "entry pending", timeoutMs: 5_000 });
    // Abandon the first consumer without letting it ack (as SIGKILL would).
    first.forget();
    void first.stop();

    const seen: string[] = [];
    const second = consumer(async (e) => void seen.push(e.id), { consumer: "c2" });
    await second.start();
    await eventually(() => seen.length === 1, { what: "redelivery by the janitor", timeoutMs: 5_000 });
    await eventually(async () => (await pendingCount()) === 0, { what: "ack", timeoutMs: 5_000 });
  });

  test("a restarted consumer reads its own pending entries first", async () => {
    await redis.call("XGROUP", "CREATE", stream, "g", "0", "MKSTREAM");
    await publish(event(1), event(2));
    // Deliver both to c1 without acking, as a crash right after XREADGROUP would leave them.
    await redis.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "10", "STREAMS", stream, ">");
    const seen: number[] = [];
    const c = consumer(async (e) => void seen.push((e.data as { n: number }).n), { claimIdleMs: 60_000 });
    await c.start();
    await eventually(() => seen.length === 2, { what: "pending entries", timeoutMs: 5_000 });
    expect(seen).toEqual([1, 2]);
    await eventually(async () => (await pendingCount()) === 0);
  });

  test("a duplicate delivery is skipped by the inbox", async () => {
    const db = await openDatabase(":memory:");
    await migrate(db, [messagingMigration]);
    let effects = 0;
    const c = consumer(async (e) => {
      await handleOnce(db, "g", e, async () => void effects++);
    });
    await c.start();
    const e = event(7);
    await publish(e, e, e);
    await eventually(async () => (await redis.xlen(stream)) === 3 && (await pendingCount()) === 0);
    await eventually(async () => {
      const r = await db.execute("SELECT count(*) AS n FROM inbox");
      return Number(r.rows[0]!.n) === 1;
    });
    expect(effects).toBe(1);
    await db.close();
  });

  test("the group is recreated after the stream is deleted (NOGROUP)", async () => {
    const seen: number[] = [];
    const c = consumer(async (e) => void seen.push((e.data as { n: number }).n));
    await c.start();
    await publish(event(1));
    await eventually(() => seen.length === 1);
    await redis.del(stream);
    await publish(event(2)); // recreates the stream, without the group
    await eventually(() => seen.includes(2), { what: "delivery after NOGROUP", timeoutMs: 10_000 });
    const groups = (await redis.xinfo("GROUPS", stream)) as unknown[][];
    expect(groups.length).toBe(1);
  });

  test("poison entries go to dead letters and the loop keeps going", async () => {
    const seen: number[] = [];
    const c = consumer(async (e) => void seen.push((e.data as { n: number }).n));
    await c.start();
    await redis.xadd(stream, "*", EVENT_FIELD, "{not json");
    await redis.xadd(stream, "*", EVENT_FIELD, JSON.stringify({ id: "x", type: "Rented" }));
    await redis.xadd(stream, "*", "other", "field");
    await publish(event(3));
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([3]);
    await eventually(async () => (await redis.xlen(dead)) === 3, { what: "three dead letters", timeoutMs: 5_000 });
    const letters = (await redis.xrange(dead, "-", "+")).map(([, f]) => f[f.indexOf("reason") + 1]);
    expect(letters).toEqual(["event is not valid JSON", expect.stringContaining("bad envelope"), 'no "event" field']);
    expect(await pendingCount()).toBe(0);
  });

  test("an event whose data fails its schema is dead-lettered at once", async () => {
    const handled: string[] = [];
    const c = consumer(async (e) => {
      const event = parseDomainEvent(e); // throws a ZodError for a bad payload
      handled.push(event.type);
    });
    await c.start();
    await publish(event(13)); // Rented@1 whose data is { n: 13 }, not a rental
    await eventually(async () => (await redis.xlen(dead)) === 1, { what: "dead letter", timeoutMs: 5_000 });
    const [[, fields]] = (await redis.xrange(dead, "-", "+")) as [[string, string[]]];
    expect(fields[fields.indexOf("reason") + 1]).toStartWith("bad event data: rentalId");
    expect(fields[fields.indexOf("deliveries") + 1]).toBe("1");
    expect(handled).toEqual([]);
    expect(await pendingCount()).toBe(0);
  });

  test("a batch handler takes a batch at once; a bad event in it is found entry by entry", async () => {
    const batches: number[][] = [];
    const single: number[] = [];
    const n = (e: Envelope) => (e.data as { n: number }).n;
    const handle = async (e: Envelope) => {
      if (n(e) === 3) throw new TypeError("bad event 3");
      single.push(n(e));
    };
    const handleMany = async (events: Envelope[]) => {
      if (events.some((e) => n(e) === 3)) throw new TypeError("bad event in the batch");
      batches.push(events.map(n));
    };
    const c = consumer(handle, { handleMany, maxDeliveries: 1 });
    await publish(event(1), event(2));
    await c.start();
    await eventually(() => batches.length === 1, { what: "one batch", timeoutMs: 5_000 });
    expect(batches).toEqual([[1, 2]]);
    // The bad one in the middle of a batch: the batch fails, and entry by entry finds it.
    await c.stop();
    c.forget();
    await publish(event(3), event(4), event(5));
    const again = consumer(handle, { handleMany, maxDeliveries: 1 });
    await again.start();
    await eventually(async () => (await redis.xlen(dead)) === 1, { what: "the bad one dead", timeoutMs: 5_000 });
    await eventually(async () => (await pendingCount()) === 0);
    expect(single).toEqual([4, 5]);
    expect(batches).toEqual([[1, 2]]);
  });

  test("an entry whose handler keeps failing is dead-lettered after maxDeliveries", async () => {
    let attempts = 0;
    const c = consumer(async () => {
      attempts++;
      throw new TypeError("cannot read properties of undefined");
    }, { maxDeliveries: 3, claimIdleMs: 100 });
    await c.start();
    await publish(event(9));
    await eventually(async () => (await redis.xlen(dead)) === 1, { what: "dead letter", timeoutMs: 10_000 });
    expect(attempts).toBe(3);
    const [[, fields]] = (await redis.xrange(dead, "-", "+")) as [[string, string[]]];
    expect(fields[fields.indexOf("deliveries") + 1]).toBe("3");
    expect(fields[fields.indexOf("reason") + 1]).toContain("TypeError");
    await eventually(async () => (await pendingCount()) === 0);
  });

  test("while a dependency is away an entry is retried longer, and handled once it is back", async () => {
    let attempts = 0;
    const c = consumer(async () => {
      if (++attempts <= 6) throw Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" });
    }, { maxDeliveries: 3, maxTransientDeliveries: 10, claimIdleMs: 100 });
    await c.start();
    await publish(event(10));
    await eventually(async () => attempts === 7 && (await pendingCount()) === 0, { what: "handled after the outage", timeoutMs: 10_000 });
    expect(await redis.exists(dead)).toBe(0);
  });

  test("deliveries spent during an outage do not count against the handler's own retries", async () => {
    let attempts = 0;
    const c = consumer(async () => {
      attempts++;
      if (attempts <= 4) throw Object.assign(new Error("fetch failed"), { code: "ECONNREFUSED" }); // the outage
      if (attempts <= 5) throw new RangeError("a bug that a retry gets past");
    }, { maxDeliveries: 2, maxTransientDeliveries: 10, claimIdleMs: 100 });
    await c.start();
    await publish(event(14));
    await eventually(async () => attempts === 6 && (await pendingCount()) === 0, { what: "handled", timeoutMs: 10_000 });
    expect(await redis.exists(dead)).toBe(0);
  });

  test("a transient failure that never ends is dead-lettered at maxTransientDeliveries", async () => {
    const c = consumer(async () => {
      throw new Error("fetch failed: ECONNREFUSED");
    }, { maxDeliveries: 2, maxTransientDeliveries: 4, claimIdleMs: 100 });
    await c.start();
    await publish(event(11));
    await eventually(async () => (await redis.xlen(dead)) === 1, { what: "dead letter", timeoutMs: 10_000 });
    const [[, fields]] = (await redis.xrange(dead, "-", "+")) as [[string, string[]]];
    expect(fields[fields.indexOf("reason") + 1]).toBe("delivered 5 times without success");
  });

  test("a consumer started while Redis is away reads once it is reachable", async () => {
    const port = await freePort();
    const lateUrl = `redis://127.0.0.1:${port}`;
    const late = connectRedis(lateUrl, "command", "test");
    cleanup.defer(() => late.disconnect());
    const seen: number[] = [];
    const c = consumer(async (e) => void seen.push((e.data as { n: number }).n), {
      redis: late,
      openBlocking: () => connectRedis(lateUrl, "blocking", "test"),
    });
    await c.start(); // does not throw while nothing answers
    expect(c.running).toBe(false);
    const server = await startRedisServer(port);
    try {
      await eventually(async () => (await late.ping().catch(() => "")) === "PONG");
      await publishAll(late, stream, [JSON.stringify(event(12))]);
      await eventually(() => seen.includes(12), { what: "delivery once Redis is up", timeoutMs: 10_000 });
      expect(c.running).toBe(true);
    } finally {
      await c.stop();
      c.forget();
      await server.stop();
    }
  });

  test("a handler that fails once succeeds on redelivery and is acked", async () => {
    let attempts = 0;
    const c = consumer(async () => {
      if (++attempts === 1) throw new Error("transient");
    }, { claimIdleMs: 100 });
    await c.start();
    await publish(event(4));
    await eventually(async () => attempts === 2 && (await pendingCount()) === 0, { timeoutMs: 10_000 });
    expect(await redis.exists(dead)).toBe(0);
  });
});
