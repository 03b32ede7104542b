import { describe, expect, test } from "bun:test";
import { eventually } from "../../testing/eventually.ts";
import { spawnScript } from "../../testing/run-script.ts";
import { tempDir } from "../../testing/temp-dir.ts";
import { event, numberOf, useConsumerFixture } from "./consumer-fixture.ts";
import { effectCounts, openEffects, recordEffect } from "./effects-fixture.ts";

const f = useConsumerFixture();

describe("a process that dies between its handler's commit and the XACK", () => {
  test("leaves the entry pending; the next consumer handles it again and the effect happens once", async () => {
    using dir = tempDir("commit-before-ack");
    const url = dir.db("effects");
    await f.publish(event(1), event(66), event(2));
    // The child applies 1 and 66 through the inbox, then SIGKILLs itself right after 66's
    // commit: 66 (and maybe 1, acked with it in one batch) is still pending in the group.
    const child = spawnScript("shared/src/bus/consumer/crashing-consumer.fixture.ts", [], {
      REDIS_URL: f.url, PREFIX: f.prefix, CONSUMER: "dies-after-commit", DATABASE_URL: url,
    });
    const timer = setTimeout(() => child.kill(), 15_000);
    await child.exited;
    clearTimeout(timer);
    expect(child.signalCode).toBe("SIGKILL");
    expect(await f.pendingCount()).toBeGreaterThan(0);

    const db = await openEffects(url);
    try {
      expect((await effectCounts(db))[66]).toBe(1);
      const seen: number[] = [];
      const survivor = f.consumer(async (e) => {
        seen.push(numberOf(e));
        await recordEffect(db, e);
      }, { consumer: "survivor", claimIdleMs: 100 });
      await survivor.start();
      await eventually(async () => (await f.pendingCount()) === 0, { what: "every entry acked", timeoutMs: 10_000 });
      expect(seen).toContain(66); // handled again: the first commit was never acked
      expect(await effectCounts(db)).toEqual({ 1: 1, 2: 1, 66: 1 });
      expect(await f.redis.xlen(f.dead)).toBe(0);
    } finally {
      await db.close();
    }
  });
});
