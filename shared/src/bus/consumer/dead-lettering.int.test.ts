import { describe, expect, test } from "bun:test";
import { parseDomainEvent } from "../../events/catalog.ts";
import type { Envelope } from "../../events/envelope.ts";
import { eventually } from "../../testing/eventually.ts";
import { attemptsKey } from "../../topology/redis-keys.ts";
import { event, useConsumerFixture } from "./consumer-fixture.ts";
import { decodeDeadLetter } from "../dead-letter.ts";
import { EVENT_FIELD } from "../entries.ts";

/** What goes to dead letters: poison at once, an entry's own failures after maxDeliveries. */
const f = useConsumerFixture();

async function letters() {
  return (await f.redis.xrange(f.dead, "-", "+")).map(([, list]) => decodeDeadLetter(list));
}

describe("dead letters", () => {
  test("poison entries go to dead letters and the loop keeps going", async () => {
    const seen: number[] = [];
    const c = f.consumer(async (e) => void seen.push((e.data as { n: number }).n));
    await c.start();
    await f.redis.xadd(f.stream, "*", EVENT_FIELD, "{not json");
    await f.redis.xadd(f.stream, "*", EVENT_FIELD, JSON.stringify({ id: "x", type: "Rented" }));
    await f.redis.xadd(f.stream, "*", "other", "field");
    await f.publish(event(3));
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([3]);
    await eventually(async () => (await f.redis.xlen(f.dead)) === 3, { what: "three dead letters", timeoutMs: 5_000 });
    const reasons = (await f.redis.xrange(f.dead, "-", "+")).map(([, fields]) => fields[fields.indexOf("reason") + 1]);
    expect(reasons).toEqual(["event is not valid JSON", expect.stringContaining("bad envelope"), 'no "event" field']);
    expect(await f.pendingCount()).toBe(0);
  });

  test("an event whose data fails its schema is dead-lettered at once", async () => {
    const handled: string[] = [];
    const c = f.consumer(async (e) => {
      const event = parseDomainEvent(e); // throws a ZodError for a bad payload
      handled.push(event.type);
    });
    await c.start();
    await f.publish(event(13)); // Rented@1 whose data is { n: 13 }, not a rental
    await eventually(async () => (await f.redis.xlen(f.dead)) === 1, { what: "dead letter", timeoutMs: 5_000 });
    const [[, fields]] = (await f.redis.xrange(f.dead, "-", "+")) as [[string, string[]]];
    expect(fields[fields.indexOf("reason") + 1]).toStartWith("bad event data: rentalId");
    expect(fields[fields.indexOf("deliveries") + 1]).toBe("1");
    expect(handled).toEqual([]);
    expect(await f.pendingCount()).toBe(0);
  });

  test("a dead letter records where the entry came from and what it carried", async () => {
    const c = f.consumer(async (e) => void parseDomainEvent(e));
    await c.start();
    const e = event(15);
    await f.publish(e);
    await eventually(async () => (await f.redis.xlen(f.dead)) === 1, { what: "dead letter", timeoutMs: 5_000 });
    const [letter] = await letters();
    const [[entryId]] = (await f.redis.xrange(f.stream, "-", "+")) as [[string, string[]]];
    expect(letter).toMatchObject({ stream: f.stream, entryId, group: "g", deliveries: 1 });
    expect(JSON.parse(letter!.fields[EVENT_FIELD]!)).toEqual(e);
    expect(Date.parse(letter!.failedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  test("a batch handler takes a batch at once; a bad event in it is found entry by entry", async () => {
    const batches: number[][] = [];
    const single: number[] = [];
    const n = (e: Envelope) => (e.data as { n: number }).n;
    const handle = async (e: Envelope) => {
      if (n(e) === 3) throw new TypeError("bad event 3");
      single.push(n(e));
    };
    const handleMany = async (events: Envelope[]) => {
      if (events.some((e) => n(e) === 3)) throw new TypeError("bad event in the batch");
      batches.push(events.map(n));
    };
    const c = f.consumer(handle, { handleMany, maxDeliveries: 1 });
    await f.publish(event(1), event(2));
    await c.start();
    await eventually(() => batches.length === 1, { what: "one batch", timeoutMs: 5_000 });
    expect(batches).toEqual([[1, 2]]);
    // The bad one in the middle of a batch: the batch fails, and entry by entry finds it.
    await c.stop();
    f.release(c);
    await f.publish(event(3), event(4), event(5));
    const again = f.consumer(handle, { handleMany, maxDeliveries: 1 });
    await again.start();
    await eventually(async () => (await f.redis.xlen(f.dead)) === 1, { what: "the bad one dead", timeoutMs: 5_000 });
    await eventually(async () => (await f.pendingCount()) === 0);
    expect(single).toEqual([4, 5]);
    expect(batches).toEqual([[1, 2]]);
  });

  test("an entry whose handler keeps failing is dead-lettered after maxDeliveries", async () => {
    let attempts = 0;
    const c = f.consumer(async () => {
      attempts++;
      throw new TypeError("cannot read properties of undefined");
    }, { maxDeliveries: 3, claimIdleMs: 100 });
    await c.start();
    await f.publish(event(9));
    await eventually(async () => (await f.redis.xlen(f.dead)) === 1, { what: "dead letter", timeoutMs: 10_000 });
    expect(attempts).toBe(3);
    const [[, fields]] = (await f.redis.xrange(f.dead, "-", "+")) as [[string, string[]]];
    expect(fields[fields.indexOf("deliveries") + 1]).toBe("3");
    expect(fields[fields.indexOf("reason") + 1]).toContain("TypeError");
    await eventually(async () => (await f.pendingCount()) === 0);
  });

  test("while a dependency is away an entry is retried longer, and handled once it is back", async () => {
    let attempts = 0;
    const c = f.consumer(async () => {
      if (++attempts <= 6) throw Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" });
    }, { maxDeliveries: 3, claimIdleMs: 100 });
    await c.start();
    await f.publish(event(10));
    await eventually(async () => attempts === 7 && (await f.pendingCount()) === 0, { what: "handled after the outage", timeoutMs: 10_000 });
    expect(await f.redis.exists(f.dead)).toBe(0);
  });

  test("deliveries spent during an outage do not count against the handler's own retries", async () => {
    let attempts = 0;
    const c = f.consumer(async () => {
      attempts++;
      if (attempts <= 4) throw Object.assign(new Error("fetch failed"), { code: "ECONNREFUSED" }); // the outage
      if (attempts <= 5) throw new RangeError("a bug that a retry gets past");
    }, { maxDeliveries: 2, claimIdleMs: 100 });
    await c.start();
    await f.publish(event(14));
    await eventually(async () => attempts === 6 && (await f.pendingCount()) === 0, { what: "handled", timeoutMs: 10_000 });
    expect(await f.redis.exists(f.dead)).toBe(0);
  });

  test("settling an entry leaves nothing behind in the attempts hash", async () => {
    let attempts = 0;
    const c = f.consumer(async () => {
      if (++attempts === 1) throw new RangeError("once");
    }, { claimIdleMs: 100 });
    await c.start();
    await f.publish(event(16), event(17));
    await eventually(async () => attempts === 3 && (await f.pendingCount()) === 0, { what: "settled", timeoutMs: 10_000 });
    expect(await f.redis.exists(attemptsKey(f.prefix, "g"))).toBe(0);
  });
});
