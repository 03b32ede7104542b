import { beforeEach, describe, expect, test } from "bun:test";
import { connectRedis, type Redis } from "../bus/redis.ts";
import { createLogger } from "../log/logger.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { startRedisServer, type RedisServer } from "../testing/redis-server.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { eventually } from "../testing/eventually.ts";
import { tempDir, type TempDir } from "../testing/temp-dir.ts";
import { injectWriteFaults } from "../testing/write-faults.ts";
import { streamKey } from "../topology/redis-keys.ts";
import { openDatabase, type Database } from "./database.ts";
import { messagingMigration, migrate } from "./migrate.ts";
import { appendToOutbox, envelopeFor } from "./outbox.ts";
import { OutboxRelay } from "./outbox/relay.ts";
import { compareStreamIds } from "./outbox/stream-ids.ts";
import { createRetention } from "./retention.ts";

const logger = createLogger("test", "silent");
let redis: Redis;
let stream: string;
let dir: TempDir;
const cleanup = cleanupEach();

beforeEach(async () => {
  redis = await connectTestRedis(cleanup);
  stream = streamKey(testPrefix("outbox"), "rental");
  dir = cleanup.use(tempDir("outbox"));
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
    await before.close();

    const after = await database();
    const relay = new OutboxRelay({ db: after, redis, stream, logger, sweepMs: 50 });
    relay.start();
    const entries = await eventually(async () => {
      const r = await redis.xrange(stream, "-", "+");
      return r.length > 0 ? r : undefined;
    });
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]![1][1]!).id).toBe(event.id);
    await eventually(async () => (await relay.backlog()) === 0);
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
    cleanup.defer(() => own.stop());
    client = await connectTestRedis(cleanup, own.url);
    db = await database();
    cleanup.defer(() => db.close());
  });

  const relayOn = (sweepMs: number) => new OutboxRelay({ db, redis: client, stream, logger, sweepMs });
  const commit = (...events: ReturnType<typeof rented>[]) => db.write((tx) => appendToOutbox(tx, events));
  const streamIds = async () => (await client.xrange(stream, "-", "+")).map(([, f]) => JSON.parse(f[1]!).id);
  const streamLength = (n: number, what: string) =>
    eventually(async () => (await client.xlen(stream)) === n, { what, timeoutMs: 5_000 });

  /** Redis dies and comes back empty; `survivors` are put back with their ids, as AOF kept them. */
  async function crashKeeping(survivors: ReturnType<typeof rented>[]) {
    const entries = await client.xrange(stream, "-", "+");
    await own.restartEmpty();
    await eventually(async () => (await client.ping().catch(() => "")) === "PONG");
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
    await eventually(async () => (await relay.backlog()) === 0);
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

  test("a busy relay asks for the run id on a sweep or a new connection, not on every round", async () => {
    const relay = relayOn(60_000);
    relay.start();
    await relay.flush();
    const infoCalls = async () => Number(/^cmdstat_info:calls=(\d+)/m.exec(await client.info("commandstats"))?.[1] ?? 0);
    const rounds = async (from: number) => {
      for (let n = from; n < from + 3; n++) {
        await commit(rented(n));
        relay.wake();
        await relay.flush();
      }
    };
    await client.config("RESETSTAT");
    await rounds(100);
    expect(await infoCalls()).toBe(0); // the same connection as the first round's INFO
    // A new connection (here killed; a restarted Redis is one too) is asked again.
    const other = await connectTestRedis(cleanup, own.url);
    await other.client("KILL", "ID", String(await client.client("ID")));
    await eventually(async () => (await client.ping().catch(() => "")) === "PONG");
    await client.config("RESETSTAT");
    await rounds(200);
    expect(await infoCalls()).toBe(1);
    expect(await client.xlen(stream)).toBe(6);
    expect(await relay.backlog()).toBe(0);
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

  /** Relay rounds, each asked for explicitly (no sweep timer), until `done` holds. */
  const roundsUntil = (relays: OutboxRelay[], done: () => Promise<boolean>, what: string) =>
    eventually(
      async () => {
        for (const r of relays) r.wake();
        await Promise.all(relays.map((r) => r.flush()));
        return done();
      },
      { what, timeoutMs: 5_000 },
    );
  /** The events are on the stream and no row waits to be published. */
  const inStream = (...events: ReturnType<typeof rented>[]) => async () => {
    const ids = await streamIds();
    const unpublished = await db.execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
    return events.every((e) => ids.includes(e.id)) && Number(unpublished.rows[0]?.n) === 0;
  };

  // The sequences below lose events when a restart is detected by comparing with the stream's
  // tail as read in the publishing pipeline: whatever reached the stream after the restart and
  // before that read (our own XADDs whose commit failed, another replica's, a redrive) hides
  // the lost entries. Each is simulated on a real redis-server: SIGKILL, data wiped, the
  // surviving entries put back with their original ids (so the run id changes and the stream
  // looks as an AOF that lost its last second leaves it).

  // The round after the restart writes four times: it begins the check, marks the lost row
  // unpublished, ends the check, marks its own batch published. Each in turn fails here.
  test.each([1, 2, 3, 4])(
    "a database write that fails after the restart's XADDs (write %i of the round) loses nothing",
    async (nth) => {
      const relay = relayOn(60_000);
      relay.start();
      const [kept, lost, fresh] = [rented(11), rented(12), rented(13)];
      await commit(kept, lost);
      await relay.flush();
      await crashKeeping([kept]);
      await commit(fresh);
      const faults = injectWriteFaults(db);
      faults.failNth(nth);
      // XADDs `fresh` to the restarted Redis; then one of the round's database writes fails.
      await roundsUntil([relay], inStream(lost, fresh), "the lost event published again");
      expect(faults.failures).toBe(1);
      await relay.stop();
    },
  );

  test("two relays on one database: the one that saw the restart first dies before its commit", async () => {
    const other = await openDatabase(dir.db("outbox"));
    cleanup.defer(() => other.close());
    const [redisA, redisB] = [connectRedis(own.url, "command", "a"), connectRedis(own.url, "command", "b")];
    cleanup.defer(() => redisB.disconnect());
    const a = new OutboxRelay({ db, redis: redisA, stream, logger, sweepMs: 60_000 });
    const b = new OutboxRelay({ db: other, redis: redisB, stream, logger, sweepMs: 60_000 });
    a.start();
    const [kept, lost, fresh] = [rented(14), rented(15), rented(16)];
    await commit(kept, lost);
    await a.flush();
    b.start();
    await b.flush();
    await crashKeeping([kept]);
    await commit(fresh);
    injectWriteFaults(db).failFrom(1);
    a.wake();
    await a.flush();
    expect(await streamIds()).toContain(fresh.id); // A's XADDs reached the stream, its commit did not
    redisA.disconnect(); // A's process is gone
    await a.stop();
    await roundsUntil([b], inStream(lost, fresh), "the lost event published again by B");
    await b.stop();
  });

  test("a replica whose mark lands after another one checked the restarted Redis marks nothing", async () => {
    const other = await openDatabase(dir.db("outbox"));
    cleanup.defer(() => other.close());
    const [redisA, redisB] = [connectRedis(own.url, "command", "a"), connectRedis(own.url, "command", "b")];
    const [kept, first, late] = [rented(24), rented(25), rented(26)];
    await publishThrough(kept);
    await commit(first, late);
    // A takes both rows to the Redis about to crash; its mark waits.
    const a = new OutboxRelay({ db: other, redis: redisA, stream, logger, sweepMs: 60_000 });
    const heldA = holdMarks(other);
    a.start();
    await eventually(async () => (await streamIds()).includes(late.id));
    await crashKeeping([kept]);
    // B (one row per round) checks the restarted Redis, publishes `first`, and dies before its mark.
    holdMarks(db);
    const b = new OutboxRelay({ db, redis: redisB, stream, logger, sweepMs: 60_000, batchSize: 1 });
    b.start();
    const runId = /run_id:(\w+)/.exec(await client.info("server"))![1]!;
    await eventually(async () => (await db.execute("SELECT value FROM relay_state")).rows[0]?.value === runId);
    redisA.disconnect();
    redisB.disconnect();
    heldA.release(); // A's mark names entries of the Redis that lost them: it must not land
    await a.stop();
    expect((await other.execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL")).rows[0]?.n).toBe(2);
    const c = new OutboxRelay({ db: other, redis: client, stream, logger, sweepMs: 60_000 });
    c.start();
    await roundsUntil([c], async () => (await streamIds()).includes(late.id), "the late row published again");
    await c.stop();
  });

  test("two live relays on one database both publishing right after the restart", async () => {
    const other = await openDatabase(dir.db("outbox"));
    cleanup.defer(() => other.close());
    const redisB = connectRedis(own.url, "command", "b");
    cleanup.defer(() => redisB.disconnect());
    const a = relayOn(60_000);
    const b = new OutboxRelay({ db: other, redis: redisB, stream, logger, sweepMs: 60_000 });
    a.start();
    b.start();
    const [kept, lost, freshA, freshB] = [rented(17), rented(18), rented(19), rented(20)];
    await commit(kept, lost);
    await Promise.all([a.flush(), b.flush()]);
    await crashKeeping([kept]);
    await commit(freshA);
    await other.write((tx) => appendToOutbox(tx, [freshB]));
    await roundsUntil([a, b], inStream(lost, freshA, freshB), "the lost event published again");
    await Promise.all([a.stop(), b.stop()]);
  });

  test("a dead letter redriven onto the stream before any relay looks does not hide what was lost", async () => {
    const [kept, lost] = [rented(21), rented(22)];
    await publishThrough(kept, lost);
    await crashKeeping([kept]);
    // As the dead-letters redrive does: the letter goes back on its stream as a new entry.
    await client.xadd(stream, "*", "event", JSON.stringify(rented(23)));
    const again = relayOn(60_000);
    again.start();
    await roundsUntil([again], inStream(lost), "the lost event published again");
    await again.stop();
  });

  test("a Redis that came back empty is republished in short writes, with no read inside a write transaction", async () => {
    const events = Array.from({ length: 1_200 }, (_, i) => rented(1_000 + i));
    await publishThrough(...events);
    await crashKeeping([]);
    const seen = recordStatements(db);
    const again = relayOn(60_000);
    again.start();
    await roundsUntil([again], inStream(...events), "everything published again");
    expect(await streamIds()).toEqual(events.map((e) => e.id)); // once each, in commit order
    expect(seen.filter((s) => /\bOFFSET\b/i.test(s.sql)).map((s) => s.sql)).toEqual([]);
    expect(seen.filter((s) => s.inTransaction && /^\s*SELECT\b/i.test(s.sql)).map((s) => s.sql)).toEqual([]);
    expect(Math.max(...seen.map((s) => s.rowsAffected))).toBeLessThanOrEqual(500);
    await again.stop();
  });

  test("a check that dies between two of its writes is run again and finds the rest", async () => {
    const events = Array.from({ length: 1_200 }, (_, i) => rented(3_000 + i));
    await publishThrough(...events);
    await crashKeeping([]);
    const faults = injectWriteFaults(db);
    faults.failNth(3); // begins the check, marks 500 rows unpublished, then dies
    const again = relayOn(60_000);
    again.start();
    await roundsUntil([again], inStream(...events), "everything published again");
    expect(faults.failures).toBe(1);
    expect(new Set(await streamIds())).toEqual(new Set(events.map((e) => e.id)));
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

/** Holds the relay's mark (the statement that marks rows published) on `db` until `release()`. */
function holdMarks(db: Database): { release(): void } {
  const original = db.execute.bind(db);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  db.execute = async (statement) => {
    if (typeof statement !== "string" && /^UPDATE outbox SET published_at = \?/.test(statement.sql)) await released;
    return original(statement);
  };
  return { release };
}

interface SeenStatement {
  sql: string;
  inTransaction: boolean;
  rowsAffected: number;
}

/** Records every statement run on `db`, and whether it ran inside a write transaction. */
function recordStatements(db: Database): SeenStatement[] {
  const seen: SeenStatement[] = [];
  const sqlOf = (s: Parameters<Database["execute"]>[0]) => (typeof s === "string" ? s : s.sql);
  const original = { write: db.write.bind(db), batch: db.batch.bind(db), execute: db.execute.bind(db) };
  db.execute = async (statement) => {
    const result = await original.execute(statement);
    seen.push({ sql: sqlOf(statement), inTransaction: false, rowsAffected: result.rowsAffected });
    return result;
  };
  db.batch = async (statements) => {
    const results = await original.batch(statements);
    statements.forEach((s, i) => seen.push({ sql: sqlOf(s), inTransaction: true, rowsAffected: results[i]?.rowsAffected ?? 0 }));
    return results;
  };
  db.write = (fn) =>
    original.write((tx) =>
      fn(
        new Proxy(tx, {
          get(target, prop) {
            if (prop === "execute") {
              return async (statement: Parameters<Database["execute"]>[0]) => {
                const result = await target.execute(statement);
                seen.push({ sql: sqlOf(statement), inTransaction: true, rowsAffected: result.rowsAffected });
                return result;
              };
            }
            const value = Reflect.get(target, prop);
            return typeof value === "function" ? value.bind(target) : value;
          },
        }),
      ),
    );
  return seen;
}
