import { beforeEach, describe, expect, test } from "bun:test";
import { createLogger } from "../log/logger.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { streamKey } from "../topology/redis-keys.ts";
import type { Redis } from "./redis.ts";
import type { RedisMemory } from "./redis-memory.ts";
import { createStreamTrimmer, holdsWholeHistory, type TrimmerOptions } from "./trimmer.ts";

const logger = createLogger("test", "silent");
const HOUR = 3600 * 1000;
let redis: Redis;
let stream: string;
const cleanup = cleanupEach();

beforeEach(async () => {
  redis = await connectTestRedis(cleanup);
  stream = streamKey(testPrefix("trim"), "rental");
});

const now = Date.now();
/** Entries 50, 40, 30 hours old and one fresh. */
async function history() {
  for (const hoursAgo of [50, 40, 30]) await redis.xadd(stream, `${now - hoursAgo * HOUR}-0`, "event", "{}");
  await redis.xadd(stream, `${now}-0`, "event", "{}");
}
const ids = async () => (await redis.xrange(stream, "-", "+")).map(([id]) => id);
const trimmer = (groups: string[], retentionMs: number, more: Partial<TrimmerOptions> = {}) =>
  createStreamTrimmer({ redis, stream, groups, retentionMs, logger, ...more });
/** A memory reading that says Redis is over its budget. */
const overBudget = { read: async () => ({ overBudget: true }) } as unknown as RedisMemory;
/** Reads and acks everything for `group`. */
async function readAll(group: string) {
  await redis.call("XREADGROUP", "GROUP", group, "c", "STREAMS", stream, ">");
  await redis.xack(stream, group, ...(await ids()));
}

describe("stream trimming", () => {
  test("drops what is older than the retention and acked by every group, and nothing else", async () => {
    await history();
    await redis.call("XGROUP", "CREATE", stream, "fast", "0");
    await redis.call("XGROUP", "CREATE", stream, "slow", "0");
    await redis.call("XREADGROUP", "GROUP", "fast", "c", "STREAMS", stream, ">");
    await redis.xack(stream, "fast", ...(await ids()));
    // "slow" has read the first two and acked only the first.
    const [[, [first, second]]] = (await redis.call("XREADGROUP", "GROUP", "slow", "c", "COUNT", "2", "STREAMS", stream, ">")) as [[string, [string, string[]][]]];
    await redis.xack(stream, "slow", first![0]);

    const kept24h = trimmer(["fast", "slow"], 24 * HOUR);
    expect(await kept24h.trim(now)).toBe(1);
    expect((await ids())[0]).toBe(second![0]); // still pending for "slow"

    await redis.xack(stream, "slow", second![0]);
    await readAll("slow");
    await kept24h.trim(now);
    expect(await ids()).toEqual([`${now}-0`]); // the fresh one is within the retention
  });

  test("with a retention of 0, what every group acked goes at once; what one has not read stays", async () => {
    await history();
    await redis.call("XGROUP", "CREATE", stream, "fast", "0");
    await redis.call("XGROUP", "CREATE", stream, "slow", "0");
    await readAll("fast");
    const [[, read]] = (await redis.call("XREADGROUP", "GROUP", "slow", "c", "COUNT", "2", "STREAMS", stream, ">")) as [[string, [string, string[]][]]];
    await redis.xack(stream, "slow", read[0]![0], read[1]![0]);
    expect(await trimmer(["fast", "slow"], 0).trim(now)).toBe(1);
    // The entry "slow" read last stays (MINID keeps it), and the two it has not read.
    expect(await ids()).toEqual([read[1]![0], `${now - 30 * HOUR}-0`, `${now}-0`]);
  });

  test("over the memory budget, acked entries go whatever the retention; unacked ones stay", async () => {
    await history();
    await redis.call("XGROUP", "CREATE", stream, "fast", "0");
    await readAll("fast");
    await redis.call("XGROUP", "CREATE", stream, "slow", "0");
    await redis.call("XREADGROUP", "GROUP", "slow", "c", "STREAMS", stream, ">"); // read, not acked
    expect(await trimmer(["fast", "slow"], 45 * HOUR, { memory: overBudget }).trim(now)).toBe(0);
    await redis.xack(stream, "slow", ...(await ids()).slice(0, 3));
    expect(await trimmer(["fast", "slow"], 45 * HOUR).trim(now)).toBe(1); // within budget: the retention holds
    expect(await trimmer(["fast", "slow"], 45 * HOUR, { memory: overBudget }).trim(now)).toBe(2);
    expect(await ids()).toEqual([`${now}-0`]); // still pending for "slow"
  });

  test("keeps everything while a group the topology declares does not exist, or no group has read the stream", async () => {
    await history();
    expect(await trimmer(["g"], HOUR).trim(now)).toBe(0);
    expect(await trimmer([], 0).trim(now)).toBe(0);
    await redis.call("XGROUP", "CREATE", stream, "g", "$");
    expect(await trimmer(["g"], 0).trim(now)).toBe(3);
    await redis.xadd(stream, `${now + 1}-0`, "event", "{}");
    // "late" never started: it will read from the start, so nothing more goes.
    expect(await trimmer(["g", "late"], 0).trim(now)).toBe(0);
    expect(await ids()).toEqual([`${now}-0`, `${now + 1}-0`]);
  });

  test("a trimmed stream no longer holds its whole history", async () => {
    await history();
    expect((await holdsWholeHistory(redis, stream)).whole).toBe(true);
    await redis.call("XTRIM", stream, "MAXLEN", "2");
    expect(await holdsWholeHistory(redis, stream)).toEqual({ whole: false, length: 2, added: 4 });
  });
});
