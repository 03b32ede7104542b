import { beforeEach, describe, expect, test } from "bun:test";
import { createLogger } from "../log/logger.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { streamKey } from "../topology/redis-keys.ts";
import type { Redis } from "./redis.ts";
import { createStreamTrimmer, holdsWholeHistory } from "./trimmer.ts";

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

    const trimmer = createStreamTrimmer({ redis, stream, retentionMs: 24 * HOUR, logger });
    expect(await trimmer.trim(now)).toBe(1);
    expect((await ids())[0]).toBe(second![0]); // still pending for "slow"

    await redis.xack(stream, "slow", second![0]);
    await redis.call("XREADGROUP", "GROUP", "slow", "c", "STREAMS", stream, ">");
    await redis.xack(stream, "slow", ...(await ids()));
    await trimmer.trim(now);
    expect(await ids()).toEqual([`${now}-0`]); // the fresh one is within the retention
  });

  test("keeps everything while no group has read the stream, or with a retention of 0", async () => {
    await history();
    expect(await createStreamTrimmer({ redis, stream, retentionMs: HOUR, logger }).trim(now)).toBe(0);
    await redis.call("XGROUP", "CREATE", stream, "g", "$");
    expect(await createStreamTrimmer({ redis, stream, retentionMs: 0, logger }).trim(now)).toBe(0);
    expect(await ids()).toHaveLength(4);
  });

  test("a trimmed stream no longer holds its whole history", async () => {
    await history();
    expect((await holdsWholeHistory(redis, stream)).whole).toBe(true);
    await redis.call("XTRIM", stream, "MAXLEN", "2");
    expect(await holdsWholeHistory(redis, stream)).toEqual({ whole: false, length: 2, added: 4 });
  });
});
