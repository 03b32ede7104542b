import { beforeEach, describe, expect, test } from "bun:test";
import type { Redis } from "../../bus/redis.ts";
import { createRedisMemory, type RedisMemory } from "../../bus/redis-memory.ts";
import { createLogger } from "../../log/logger.ts";
import { cleanupEach } from "../../testing/cleanup.ts";
import { eventually } from "../../testing/eventually.ts";
import { connectTestRedis, testPrefix } from "../../testing/harness.ts";
import { startRedisServer, type RedisServer } from "../../testing/redis-server.ts";
import { tempDir } from "../../testing/temp-dir.ts";
import { createStreamTrimmer } from "../../bus/trimmer.ts";
import { streamKey, trimmedToKey } from "../../topology/redis-keys.ts";
import { openDatabase, type Database } from "../database.ts";
import { messagingMigration, migrate } from "../migrate.ts";
import { appendToOutbox, envelopeFor } from "../outbox.ts";
import { OutboxRelay } from "./relay.ts";

/**
 * The relay under a Redis memory budget: over it, or when Redis refuses a write for lack of
 * memory, rows wait in the outbox (nothing lost, nothing dropped) and go out once there is
 * room; and a stream trimmed of everything its groups acked is not mistaken, after a Redis
 * restart, for one that lost those entries.
 */

const logger = createLogger("test", "silent");
const cleanup = cleanupEach();
let own: RedisServer;
let redis: Redis;
let db: Database;
let stream: string;
let trimmedTo: string;

beforeEach(async () => {
  own = await startRedisServer({ maxmemory: "4mb" });
  cleanup.defer(() => own.stop());
  redis = await connectTestRedis(cleanup, own.url);
  db = await openDatabase(cleanup.use(tempDir("budget")).db("outbox"));
  cleanup.defer(() => db.close());
  await migrate(db, [messagingMigration]);
  const prefix = testPrefix("budget");
  stream = streamKey(prefix, "rental");
  trimmedTo = trimmedToKey(prefix, "rental");
});

const commit = (n: number, bytes = 100) =>
  db.write((tx) =>
    appendToOutbox(tx, Array.from({ length: n }, (_, i) =>
      envelopeFor({ type: "Rented", version: 1, aggregateId: String(i), data: { pad: "x".repeat(bytes) } }, "rental", { correlationId: "c" }))),
  );
const relayWith = (memory?: RedisMemory) => new OutboxRelay({ db, redis, stream, trimmedToKey: trimmedTo, logger, memory, sweepMs: 50 });
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);

describe("the outbox relay under a memory budget", () => {
  test("over the budget nothing is published and rows wait; under it again they all go out", async () => {
    const base = await usedMemory();
    // A budget just above what Redis uses now: a few hundred KB of events go over it.
    await redis.config("SET", "maxmemory", String(Math.ceil((base + 300_000) / 0.5)));
    const relay = relayWith(createRedisMemory(redis, 0.5));
    relay.start();
    cleanup.defer(() => relay.stop());
    for (let i = 0; i < 40; i++) await commit(25, 1_000);
    relay.wake();
    await eventually(async () => relay.paused === "over-memory-budget", { what: "the relay pauses", timeoutMs: 5_000 });
    const held = await relay.backlog();
    expect(held).toBeGreaterThan(0);
    const length = await redis.xlen(stream);
    expect(length + held).toBe(1_000);
    await Bun.sleep(300);
    expect(await redis.xlen(stream)).toBe(length); // it stays paused, though used memory wavers under the limit
    expect(await usedMemory()).toBeLessThanOrEqual(Math.ceil((base + 300_000) / 0.5) * 0.5);

    await redis.config("SET", "maxmemory", "0"); // room again (no limit: no budget)
    await eventually(async () => (await relay.backlog()) === 0, { what: "the held rows go out", timeoutMs: 5_000 });
    expect(relay.paused).toBeUndefined();
    expect(await redis.xlen(stream)).toBe(1_000);
  });

  test("an XADD refused with OOM leaves its rows in the outbox: waiting, not lost", async () => {
    const relay = relayWith(); // no budget: only Redis's own limit stops it
    relay.start();
    cleanup.defer(() => relay.stop());
    await redis.config("SET", "maxmemory", String((await usedMemory()) + 200_000));
    for (let i = 0; i < 20; i++) await commit(25, 1_000);
    relay.wake();
    await eventually(async () => relay.paused === "redis-out-of-memory", { what: "OOM seen", timeoutMs: 5_000 });
    expect(await relay.backlog()).toBeGreaterThan(0);

    await redis.config("SET", "maxmemory", "0");
    await eventually(async () => (await relay.backlog()) === 0, { what: "published after the OOM", timeoutMs: 5_000 });
    const ids = new Set((await redis.xrange(stream, "-", "+")).map(([, f]) => JSON.parse(f[1]!).id));
    expect(ids.size).toBe(500); // every event, once or more (a batch that failed midway goes again)
  });

  test("a stream trimmed of what every group acked is not published again after a Redis restart", async () => {
    await redis.config("SET", "maxmemory", "0");
    await redis.call("XGROUP", "CREATE", stream, "g", "0", "MKSTREAM");
    const relay = relayWith();
    await commit(5);
    relay.wake();
    await relay.flush();
    await redis.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", stream, ">");
    const ids = (await redis.xrange(stream, "-", "+")).map(([id]) => id);
    await redis.xack(stream, "g", ...ids);
    await redis.xadd(stream, "*", "event", "{}"); // one more, read and acked too: the trimmer keeps the last one read
    await redis.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", stream, ">");
    await redis.xack(stream, "g", (await redis.xrange(stream, "-", "+")).at(-1)![0]);
    const trimmer = createStreamTrimmer({ redis, stream, trimmedToKey: trimmedTo, groups: ["g"], retentionMs: 0, logger });
    expect(await trimmer.trim()).toBe(5);
    await Bun.sleep(1_100); // the AOF is fsynced every second

    await own.kill();
    await own.restart();
    await eventually(async () => (await redis.ping().catch(() => "")) === "PONG");
    const again = relayWith();
    again.start();
    await Bun.sleep(300); // a few sweeps: each probes Redis and would see the restart
    await again.stop();
    expect(await redis.xlen(stream)).toBe(1);
    expect(await again.backlog()).toBe(0);
  });
});
