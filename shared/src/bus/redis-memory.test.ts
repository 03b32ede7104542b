import { describe, expect, test } from "bun:test";
import { createRedisMemory, memoryReading } from "./redis-memory.ts";
import type { Redis } from "./redis.ts";

const info = (used: number, max: number) => `# Memory\r\nused_memory:${used}\r\nused_memory_human:1M\r\nmaxmemory:${max}\r\n`;

describe("Redis memory against its budget", () => {
  test("the budget is a share of maxmemory; the relays stop at nine tenths of it; no maxmemory, no budget", () => {
    expect(memoryReading(info(700, 1000), 0.8)).toEqual({
      usedBytes: 700, maxBytes: 1000, budgetBytes: 800, publishLimitBytes: 720, overBudget: false, outOfMemory: false,
    });
    expect(memoryReading(info(720, 1000), 0.8).overBudget).toBe(true);
    expect(memoryReading(info(1000, 1000), 0.8).outOfMemory).toBe(true);
    expect(memoryReading(info(5_000_000, 0), 0.8)).toMatchObject({ budgetBytes: undefined, overBudget: false, outOfMemory: false });
  });

  test("a reading is reused until this process wrote a quarter of the room it showed", async () => {
    let reads = 0;
    const redis = { info: async () => (reads++, info(100, 1000)) } as unknown as Redis;
    const memory = createRedisMemory(redis, 1); // publish limit 900: room 800
    expect(await memory.room()).toBe(800);
    memory.wrote(100);
    expect(await memory.room()).toBe(700);
    expect(reads).toBe(1);
    memory.wrote(150); // 250 written: past a quarter of 800
    expect(await memory.room()).toBe(800); // read again (Redis still says 100 used)
    expect(reads).toBe(2);
  });

  test("once over the limit, a reading stays over until a twentieth of the limit is free again", async () => {
    expect(memoryReading(info(700, 1000), 0.8, true).overBudget).toBe(true); // 720 × 0.95 = 684
    expect(memoryReading(info(683, 1000), 0.8, true).overBudget).toBe(false);
    let used = 720;
    const redis = { info: async () => info(used, 1000) } as unknown as Redis;
    const memory = createRedisMemory(redis, 0.8);
    expect(await memory.room()).toBe(0);
    used = 700; // just under the limit: still held, nothing trickles out
    await Bun.sleep(60);
    expect(await memory.room()).toBe(0);
    used = 600;
    await Bun.sleep(60);
    expect(await memory.room()).toBe(120);
  });
});
