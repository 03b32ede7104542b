import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync } from "node:fs";
import { connectRedis, type Redis } from "../bus/redis.ts";
import { createLogger } from "../log/logger.ts";
import { testPrefix, testRedis } from "../testing/harness.ts";
import { startRedisServer } from "../testing/redis-server.ts";
import { eventually, tempDir } from "../testing/processes.ts";
import { openDatabase } from "./database.ts";
import { messagingMigration, migrate } from "./migrate.ts";
import { appendToOutbox, compareStreamIds, envelopeFor, OutboxRelay } from "./outbox.ts";
import { createRetention } from "./retention.ts";

const logger = createLogger("test", "silent");
let redis: Redis;
let stream: string;
let dir: ReturnType<typeof tempDir>;

beforeEach(async () => {
  redis = connectRedis((await testRedis()).url, "command", "test");
  stream = `${testPrefix("outbox")}:events:rental`;
  dir = tempDir("outbox");
});
afterEach(() => {
  redis.disconnect();
  dir.cleanup();
});

const rented = (n: number) =>
  envelopeFor({ type: "Rented", version: 1, aggregateId: String(n), data: { n } }, "rental", { correlationId: "c" });

async function database() {
  const db = await openDatabase(dir.db("outbox"));
  await migrate(db, [messagingMigration]);
  return db;
}

describe("transactional outbox", () => {
  test("a failed transaction publishes nothing", async () => {
    const db = await database();
    const relay = new OutboxRelay({ db, redis, stream, logger });
    relay.start();
    const attempt = db.write(async (tx) => {
      await tx.execute("CREATE TABLE IF NOT EXISTS things (id INTEGER PRIMARY KEY)");
      await appendToOutbox(tx, [rented(1)]);
      throw new Error("the state change failed");
    });
    await expect(attempt).rejects.toThrow("the state change failed");
    relay.wake();
    await relay.flush();
    expect(await redis.xlen(stream)).toBe(0);
    expect(await relay.backlog()).toBe(0);
    await relay.stop();
    await db.close();
  });

  test("an event committed but not published before a crash is published by the sweep after restart", async () => {
    const before = await database();
    const event = rented(2);
    await before.write((tx) => appendToOutbox(tx, [event]));
    // The process dies here: no relay ever ran. A new process opens the same database.
    before.client.close();

    const after = await database();
    const relay = new OutboxRelay({ db: after, redis, stream, logger, sweepMs: 50 });
    relay.start();
    const entries = await eventually(async () => {
      const r = await redis.xrange(stream, "-", "+");
      return r.length > 0 ? r : undefined;
    });
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]![1][1]!).id).toBe(event.id);
    await eventually(async () => ((await relay.backlog()) === 0 ? true : undefined));
    await relay.stop();
    await after.close();
  });

  test("events published in commit order, many per round trip", async () => {
    const db = await database();
    const relay = new OutboxRelay({ db, redis, stream, logger, batchSize: 10 });
    const events = Array.from({ length: 25 }, (_, i) => rented(i));
    for (const e of events) await db.write((tx) => appendToOutbox(tx, [e]));
    relay.start();
    await relay.flush();
    const ids = (await redis.xrange(stream, "-", "+")).map(([, f]) => JSON.parse(f[1]!).id);
    expect(ids).toEqual(events.map((e) => e.id));
    await relay.stop();
    await db.close();
  });

  test("while Redis is unreachable rows stay unpublished, and go out once it answers", async () => {
    const db = await database();
    const dead = connectRedis("redis://127.0.0.1:1", "command", "test");
    const offline = new OutboxRelay({ db, redis: dead, stream, logger });
    await db.write((tx) => appendToOutbox(tx, [rented(3)]));
    offline.wake();
    await offline.flush();
    expect(await offline.backlog()).toBe(1);
    dead.disconnect();

    const online = new OutboxRelay({ db, redis, stream, logger });
    online.wake();
    await online.flush();
    expect(await redis.xlen(stream)).toBe(1);
    expect(await online.backlog()).toBe(0);
    await db.close();
  });
});

describe("Redis restarts", () => {
  /** Publishes `events` through a relay on `db` and waits until all are on the stream. */
  async function publishThrough(db: Awaited<ReturnType<typeof database>>, client: Redis, events: ReturnType<typeof rented>[]) {
    const relay = new OutboxRelay({ db, redis: client, stream, logger, sweepMs: 50 });
    relay.start();
    for (const e of events) await db.write((tx) => appendToOutbox(tx, [e]));
    relay.wake();
    await eventually(async () => ((await relay.backlog()) === 0 ? true : undefined));
    await relay.stop();
  }
  const streamIds = async (client: Redis) => (await client.xrange(stream, "-", "+")).map(([, f]) => JSON.parse(f[1]!).id);

  test("exactly what Redis lost of the stream is published again, with no time window", async () => {
    const own = await startRedisServer();
    const client = connectRedis(own.url, "command", "test");
    const db = await database();
    const [kept, lost] = [rented(4), rented(5)];
    await publishThrough(db, client, [kept, lost]);
    const [[keptId]] = (await client.xrange(stream, "-", "+")) as [[string, string[]]];

    // Redis dies; when it comes back (much later) it has only the first entry, as AOF
    // `appendfsync everysec` allows.
    await own.kill();
    rmSync(own.dir, { recursive: true, force: true });
    mkdirSync(own.dir);
    await own.restart();
    await eventually(async () => ((await client.ping().catch(() => "")) === "PONG" ? true : undefined));
    await client.xadd(stream, keptId, "event", JSON.stringify(kept));

    const again = new OutboxRelay({ db, redis: client, stream, logger, sweepMs: 50 });
    again.start();
    await eventually(async () => ((await client.xlen(stream)) === 2 ? true : undefined), 5_000, "the lost event again");
    expect(await streamIds(client)).toEqual([kept.id, lost.id]); // the kept one is not repeated
    await again.stop();
    client.disconnect();
    await own.stop();
    await db.close();
  });

  test("a commit published right after the restart does not hide what was lost", async () => {
    const own = await startRedisServer();
    const client = connectRedis(own.url, "command", "test");
    const db = await database();
    // One relay throughout, as in a worker that stays up; no sweep during the test.
    const relay = new OutboxRelay({ db, redis: client, stream, logger, sweepMs: 60_000 });
    relay.start();
    const [kept, lost, fresh] = [rented(8), rented(9), rented(10)];
    for (const e of [kept, lost]) await db.write((tx) => appendToOutbox(tx, [e]));
    relay.wake();
    await relay.flush();
    const [[keptId]] = (await client.xrange(stream, "-", "+")) as [[string, string[]]];

    await own.kill();
    rmSync(own.dir, { recursive: true, force: true });
    mkdirSync(own.dir);
    await own.restart();
    await eventually(async () => ((await client.ping().catch(() => "")) === "PONG" ? true : undefined));
    await client.xadd(stream, keptId, "event", JSON.stringify(kept));

    // The very next commit goes out at once, before any sweep.
    await db.write((tx) => appendToOutbox(tx, [fresh]));
    relay.wake();
    await eventually(async () => ((await client.xlen(stream)) === 3 ? true : undefined), 5_000, "lost and fresh");
    expect((await streamIds(client)).sort()).toEqual([kept.id, lost.id, fresh.id].sort());
    await relay.stop();
    client.disconnect();
    await own.stop();
    await db.close();
  });

  test("a Redis that came back without the stream gets all of it again", async () => {
    const own = await startRedisServer();
    const client = connectRedis(own.url, "command", "test");
    const db = await database();
    const events = [rented(6), rented(7)];
    await publishThrough(db, client, events);
    await own.kill();
    rmSync(own.dir, { recursive: true, force: true });
    mkdirSync(own.dir);
    await own.restart();
    await eventually(async () => ((await client.ping().catch(() => "")) === "PONG" ? true : undefined));
    const again = new OutboxRelay({ db, redis: client, stream, logger, sweepMs: 50 });
    again.start();
    await eventually(async () => ((await client.xlen(stream)) === 2 ? true : undefined), 5_000, "republished events");
    expect(await streamIds(client)).toEqual(events.map((e) => e.id));
    await again.stop();
    client.disconnect();
    await own.stop();
    await db.close();
  });

  test("stream ids order by time, then sequence", () => {
    expect(compareStreamIds("5-0", "10-0")).toBeLessThan(0);
    expect(compareStreamIds("10-2", "10-10")).toBeLessThan(0);
    expect(compareStreamIds("10-10", "10-10")).toBe(0);
    expect(compareStreamIds("11-0", "10-99")).toBeGreaterThan(0);
  });
});

describe("retention", () => {
  test("published outbox rows older than a week and inbox rows older than a month are trimmed; the rest stay", async () => {
    const db = await database();
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();
    const recent = new Date().toISOString();
    await db.batch([
      { sql: "INSERT INTO outbox (event_id, envelope, created_at, published_at) VALUES ('a', '{}', ?, ?)", args: [old, old] },
      { sql: "INSERT INTO outbox (event_id, envelope, created_at, published_at) VALUES ('b', '{}', ?, ?)", args: [recent, recent] },
      { sql: "INSERT INTO outbox (event_id, envelope, created_at, published_at) VALUES ('c', '{}', ?, NULL)", args: [old] },
      { sql: "INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('x', 'a', ?)", args: [old] },
      { sql: "INSERT INTO inbox (consumer, event_id, processed_at) VALUES ('x', 'b', ?)", args: [recent] },
    ]);
    const removed = await createRetention(db, logger, { outbox: true, inbox: true }).trim();
    expect(removed).toEqual({ outbox: 1, inbox: 1 });
    const left = await db.execute("SELECT event_id FROM outbox ORDER BY event_id");
    expect(left.rows.map((r) => r.event_id)).toEqual(["b", "c"]); // never an unpublished one
    await db.close();
  });
});
