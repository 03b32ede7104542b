import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { connectRedis, type Redis } from "../bus/redis.ts";
import { createLogger } from "../log/logger.ts";
import { testPrefix, testRedis } from "../testing/harness.ts";
import { startRedisServer, type RedisServer } from "../testing/redis-server.ts";
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
  let own: RedisServer;
  let client: Redis;
  let db: Awaited<ReturnType<typeof database>>;
  beforeEach(async () => {
    own = await startRedisServer();
    client = connectRedis(own.url, "command", "test");
    db = await database();
  });
  afterEach(async () => {
    client.disconnect();
    await own.stop();
    await db.close();
  });

  const relayOn = (sweepMs: number) => new OutboxRelay({ db, redis: client, stream, logger, sweepMs });
  const commit = (...events: ReturnType<typeof rented>[]) => db.write((tx) => appendToOutbox(tx, events));
  const streamIds = async () => (await client.xrange(stream, "-", "+")).map(([, f]) => JSON.parse(f[1]!).id);
  const streamLength = (n: number, what: string) =>
    eventually(async () => ((await client.xlen(stream)) === n ? true : undefined), 5_000, what);

  /** Redis dies and comes back empty; `survivors` are put back with their ids, as AOF kept them. */
  async function crashKeeping(survivors: ReturnType<typeof rented>[]) {
    const entries = await client.xrange(stream, "-", "+");
    await own.restartEmpty();
    await eventually(async () => ((await client.ping().catch(() => "")) === "PONG" ? true : undefined));
    for (const e of survivors) {
      const [id] = entries.find(([, f]) => JSON.parse(f[1]!).id === e.id)!;
      await client.xadd(stream, id, "event", JSON.stringify(e));
    }
  }

  /** Publishes through a relay that then stops (its worker goes down too). */
  async function publishThrough(...events: ReturnType<typeof rented>[]) {
    const relay = relayOn(50);
    relay.start();
    await commit(...events);
    relay.wake();
    await eventually(async () => ((await relay.backlog()) === 0 ? true : undefined));
    await relay.stop();
  }

  test("exactly what Redis lost of the stream is published again, with no time window", async () => {
    const [kept, lost] = [rented(4), rented(5)];
    await publishThrough(kept, lost);
    await crashKeeping([kept]);
    const again = relayOn(50);
    again.start();
    await streamLength(2, "the lost event again");
    expect(await streamIds()).toEqual([kept.id, lost.id]); // the kept one is not repeated
    await again.stop();
  });

  test("a commit published right after the restart does not hide what was lost", async () => {
    // One relay throughout, as in a worker that stays up; no sweep during the test.
    const relay = relayOn(60_000);
    relay.start();
    const [kept, lost, fresh] = [rented(8), rented(9), rented(10)];
    await commit(kept, lost);
    relay.wake();
    await relay.flush();
    await crashKeeping([kept]);
    // The very next commit goes out at once, before any sweep.
    await commit(fresh);
    relay.wake();
    await streamLength(3, "lost and fresh");
    expect((await streamIds()).sort()).toEqual([kept.id, lost.id, fresh.id].sort());
    await relay.stop();
  });

  test("a Redis that came back without the stream gets all of it again", async () => {
    const events = [rented(6), rented(7)];
    await publishThrough(...events);
    await crashKeeping([]);
    const again = relayOn(50);
    again.start();
    await streamLength(2, "republished events");
    expect(await streamIds()).toEqual(events.map((e) => e.id));
    await again.stop();
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
