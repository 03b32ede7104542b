import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { testPrefix, testRedis } from "../testing/harness.ts";
import { streamKey } from "../topology/redis-keys.ts";
import { ensureGroup, rewindGroup } from "./consumer-group.ts";
import { connectRedis, type Redis } from "./redis.ts";

let redis: Redis;
let stream: string;

beforeEach(async () => {
  redis = connectRedis((await testRedis()).url, "command", "test");
  stream = streamKey(testPrefix("group"), "rental");
});
afterEach(() => redis.disconnect());

const readAll = async (group: string) =>
  ((await redis.call("XREADGROUP", "GROUP", group, "c", "STREAMS", stream, ">")) as [string, unknown[]][] | null)?.[0]?.[1].length ?? 0;

describe("consumer groups", () => {
  test("ensureGroup creates the stream and a group at its start, and leaves an existing group where it is", async () => {
    await ensureGroup(redis, stream, "g");
    expect(await redis.exists(stream)).toBe(1);
    await redis.xadd(stream, "*", "event", "{}");
    expect(await readAll("g")).toBe(1);
    await ensureGroup(redis, stream, "g");
    expect(await readAll("g")).toBe(0);
  });

  test("rewindGroup moves a group back to the first entry, or creates it there", async () => {
    await redis.xadd(stream, "*", "event", "{}");
    await redis.xadd(stream, "*", "event", "{}");
    await ensureGroup(redis, stream, "g");
    expect(await readAll("g")).toBe(2);
    await rewindGroup(redis, stream, "g");
    expect(await readAll("g")).toBe(2);
    await rewindGroup(redis, stream, "fresh");
    expect(await readAll("fresh")).toBe(2);
  });
});
