import { describe, expect, test } from "bun:test";
import type { Envelope } from "../../events/envelope.ts";
import { eventually } from "../../testing/eventually.ts";
import { spawnScript } from "../../testing/run-script.ts";
import { event, numberOf, useConsumerFixture } from "./consumer-fixture.ts";

const f = useConsumerFixture();

/** What a database that is away throws; the test, not the bus, says it is transient. */
const busy = () => Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" });
const isTransient = (error: unknown) => (error as { code?: string }).code === "SQLITE_BUSY";

describe("outages only delay", () => {
  test("an outage far longer than any retry budget dead-letters nothing; the entry is handled once it ends", async () => {
    // Redelivered about every 50-100 ms: 60 deliveries stand for a long outage at production pace.
    const OUTAGE_DELIVERIES = 60;
    let attempts = 0;
    let handled = 0;
    const c = f.consumer(async () => {
      if (++attempts <= OUTAGE_DELIVERIES) throw busy();
      handled++;
    }, { maxDeliveries: 2, claimIdleMs: 50, isTransient });
    await c.start();
    await f.publish(event(20));
    await eventually(async () => handled === 1 && (await f.pendingCount()) === 0, { what: "handled after the outage", timeoutMs: 25_000 });
    expect(attempts).toBe(OUTAGE_DELIVERIES + 1);
    expect(await f.redis.exists(f.dead)).toBe(0);
  });

  test("a batch handler that fails on an outage only delays too", async () => {
    let outage = true;
    const batches: number[][] = [];
    const c = f.consumer(async () => {
      throw new TypeError("entry by entry is not reached during an outage");
    }, {
      claimIdleMs: 50,
      maxDeliveries: 1,
      isTransient,
      handleMany: async (events: Envelope[]) => {
        if (outage) throw busy();
        batches.push(events.map(numberOf));
      },
    });
    await f.publish(event(1), event(2));
    await c.start();
    await eventually(() => c.degraded, { what: "degraded", timeoutMs: 5_000 });
    await Bun.sleep(500);
    outage = false;
    await eventually(async () => (await f.pendingCount()) === 0, { what: "handled after the outage", timeoutMs: 10_000 });
    expect(batches).toEqual([[1, 2]]);
    expect(await f.redis.exists(f.dead)).toBe(0);
  });

  test("the consumer reports itself degraded while a dependency is away, and counts the time", async () => {
    let outage = true;
    const c = f.consumer(async () => {
      if (outage) throw busy();
    }, { claimIdleMs: 50, isTransient });
    await c.start();
    expect(c.degraded).toBeUndefined();
    await f.publish(event(5));
    const state = await eventually(() => c.degraded, { what: "degraded", timeoutMs: 5_000 });
    expect(state.since).toBeInstanceOf(Date);
    expect(state.reason).toContain("SQLITE_BUSY");
    expect(c.running).toBe(true); // reads keep working: readiness stays up
    await Bun.sleep(300);
    outage = false;
    await eventually(() => c.degraded === undefined, { what: "recovered", timeoutMs: 5_000 });
    expect(c.degradedSeconds()).toBeGreaterThanOrEqual(0.3);
    const total = c.degradedSeconds();
    await Bun.sleep(100);
    expect(c.degradedSeconds()).toBe(total); // the clock stops once it recovered
  });
});

describe("an entry that kills its process", () => {
  test("is dead-lettered after maxCrashes deaths while holding it, and the entries around it flow", async () => {
    let starts = 0;
    const handled = new Set<number>();
    const handle = async (e: Envelope) => {
      if (numberOf(e) === 66) {
        starts++;
        await new Promise(() => {}); // the process dies in here: the handler never comes back
      }
      handled.add(numberOf(e));
    };
    await f.publish(event(1), event(66), event(2));
    for (let death = 1; death <= 3; death++) {
      const c = f.consumer(handle, { consumer: `c${death}`, claimIdleMs: 100, maxCrashes: 3 });
      await c.start();
      await eventually(() => starts === death, { what: `death ${death}`, timeoutMs: 10_000 });
      f.abandon(c); // nothing acked, nothing counted down: what SIGKILL leaves
    }
    const survivor = f.consumer(handle, { consumer: "c4", claimIdleMs: 100, maxCrashes: 3 });
    await survivor.start();
    await f.publish(event(3));
    await eventually(async () => (await f.redis.xlen(f.dead)) === 1, { what: "dead letter", timeoutMs: 10_000 });
    await eventually(async () => (await f.pendingCount()) === 0, { what: "the others handled", timeoutMs: 10_000 });
    expect(starts).toBe(3);
    expect([...handled].sort()).toEqual([1, 2, 3]);
    const [[, fields]] = (await f.redis.xrange(f.dead, "-", "+")) as [[string, string[]]];
    expect(JSON.parse(fields[fields.indexOf("fields") + 1]!).event).toContain('"n":66');
    expect(fields[fields.indexOf("reason") + 1]).toContain("died 3 times");
  });

  test("a real process killed mid-handler counts as a death: after maxCrashes of them the entry is dead-lettered", async () => {
    await f.publish(event(1), event(66), event(2));
    for (let death = 1; death <= 3; death++) {
      const child = spawnScript("shared/src/bus/consumer/crashing-consumer.fixture.ts", [], { REDIS_URL: f.url, PREFIX: f.prefix, CONSUMER: `child${death}` });
      const timer = setTimeout(() => child.kill(), 15_000);
      expect(await child.exited).not.toBe(0);
      clearTimeout(timer);
      expect(child.signalCode).toBe("SIGKILL");
    }
    const handled = new Set<number>();
    let starts66 = 0;
    const survivor = f.consumer(async (e) => {
      if (numberOf(e) === 66) starts66++;
      handled.add(numberOf(e));
    }, { consumer: "survivor", claimIdleMs: 100, maxCrashes: 3 });
    await survivor.start();
    await eventually(async () => (await f.pendingCount()) === 0, { what: "settled", timeoutMs: 10_000 });
    expect(starts66).toBe(0);
    expect(await f.redis.xlen(f.dead)).toBe(1);
    // 1 was acked by the second child, which took the suspects one at a time; 2 sat behind 66.
    expect([...handled]).toEqual([2]);
  });

  test("an entry that was merely in the batch of a death is not blamed for it", async () => {
    let starts = 0;
    const handled = new Set<number>();
    const handle = async (e: Envelope) => {
      if (numberOf(e) === 66) {
        starts++;
        await new Promise(() => {});
      }
      handled.add(numberOf(e));
    };
    await f.publish(event(1), event(66), event(2));
    // The first death takes the whole batch down: 1, 66 and 2 were all in hand. From then on
    // they are handled alone, and only 66 is in hand at the second death.
    for (let death = 1; death <= 2; death++) {
      const c = f.consumer(handle, { consumer: `c${death}`, claimIdleMs: 100, maxCrashes: 2 });
      await c.start();
      await eventually(() => starts === death, { what: `death ${death}`, timeoutMs: 10_000 });
      f.abandon(c);
    }
    const survivor = f.consumer(handle, { consumer: "c3", claimIdleMs: 100, maxCrashes: 2 });
    await survivor.start();
    await eventually(async () => (await f.pendingCount()) === 0, { what: "settled", timeoutMs: 10_000 });
    expect(await f.redis.xlen(f.dead)).toBe(1);
    expect([...handled].sort()).toEqual([1, 2]);
    expect(starts).toBe(2);
  });
});
