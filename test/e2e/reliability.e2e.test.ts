import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connectRedis, type Redis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { eventually } from "@rentalnang/shared/testing/processes";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";

/**
 * Edge events, dead letters and the graceful drain, against the whole stack.
 * Each edge case ends in a documented state (docs/reliability.md), never a crash loop.
 */

let stack: Stack;
let redis: Redis;
type Json = Record<string, any>;

beforeAll(async () => {
  stack = await startStack({ all: { READINESS_DRAIN_MS: "400" } });
  redis = connectRedis(stack.redisUrl, "command", "reliability");
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.stop();
});

const stream = (source: string) => `${stack.prefix}:events:${source}`;
const dead = (group: string) => `${stack.prefix}:dead:${group}`;
async function xadd(source: string, type: string, data: unknown, version = 1) {
  const e = envelopeFor({ type, version, aggregateId: "edge", data }, source, { correlationId: "edge-test" });
  await redis.xadd(stream(source), "*", "event", JSON.stringify(e));
  return e;
}
const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Json };
};
const pendingOf = async (source: string, group: string) => Number(((await redis.xpending(stream(source), group)) as [number])[0]);
const cli = async (...args: string[]) => {
  const proc = Bun.spawn([process.execPath, "scripts/dead-letters.ts", ...args], {
    env: { PATH: process.env.PATH ?? "", REDIS_URL: stack.redisUrl, STREAM_PREFIX: stack.prefix },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, out] = await Promise.all([proc.exited, new Response(proc.stdout).text()]);
  return { code, out };
};
async function allAcked() {
  await eventually(async () => {
    for (const [source, group] of [["rental", "payment"], ["rental", "mypage"], ["delivery", "rental"], ["payment", "delivery"]] as const) {
      if ((await pendingOf(source, group)) > 0) return undefined;
    }
    return true;
  }, 10_000, "every entry acked");
}

describe("edge events", () => {
  test("a malformed entry and an unknown event version go to dead letters; the loop goes on", async () => {
    await redis.xadd(stream("rental"), "*", "event", "{oops");
    await xadd("rental", "Rented", { rentalId: 1 }, 99);
    await eventually(async () => ((await redis.xlen(dead("mypage"))) === 2 ? true : undefined), 10_000, "two dead letters");
    const ready = await get(`${stack.procs.mypage.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.consumer.deadLetters).toBe(2);
    // The loop keeps going: a good reservation still reaches the view.
    const r = await fetch(`${stack.gateway.url}/rentals`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ carId: "after-poison", rentHour: 1 }),
    });
    const { id } = (await r.json()) as Json;
    await eventually(async () => ((await get(`${stack.procs.mypage.url}/mypages/${id}`)).status === 200 ? true : undefined));
  });

  test("dead letters can be listed, redriven once the cause is fixed, and dropped", async () => {
    const listed = await cli("list", "--group", "mypage");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("event is not valid JSON");
    expect(listed.out).toContain("unknown event Rented@99");

    // A letter whose cause is gone (as after a fixed handler): redriven, it is handled.
    const fixed = envelopeFor(
      { type: "RentalCancelled", version: 1, aggregateId: "424242", data: { rentalId: 424242, carId: "x", rentHour: 1, price: 1000, customerId: null, paymentId: null, reason: "customer" } },
      "rental", { correlationId: "redrive" },
    );
    const id = await redis.xadd(dead("mypage"), "*", "stream", stream("rental"), "entryId", "0-1", "group", "mypage",
      "reason", "handler bug", "deliveries", "5", "fields", JSON.stringify({ event: JSON.stringify(fixed) }), "failedAt", new Date().toISOString());
    expect((await cli("redrive", "--group", "mypage", id!)).out).toContain("redrove 1");
    await eventually(async () => ((await get(`${stack.procs.mypage.url}/mypages/424242`)).status === 200 ? true : undefined), 10_000, "redriven event");

    expect((await cli("drop")).code).toBe(2); // drop needs ids or --all
    expect((await cli("drop", "--group", "mypage", "--all")).out).toContain("dropped 2");
    expect(await redis.xlen(dead("mypage"))).toBe(0);
  });

  test("a confirmation for an unknown rental is acked and changes nothing", async () => {
    await xadd("delivery", "ReservationConfirmed", { deliveryId: 1, rentalId: 777777 });
    await allAcked();
    expect((await get(`${stack.procs.rental.url}/rentals/777777`)).status).toBe(404);
    expect(await redis.exists(dead("rental"))).toBe(0);
  });

  test("a confirmation for a deleted rental leaves it deleted", async () => {
    const r = (await (await fetch(`${stack.procs.rental.url}/rentals`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ carId: "gone", rentHour: 1 }),
    })).json()) as Json;
    expect((await fetch(`${stack.procs.rental.url}/rentals/${r.id}`, { method: "DELETE" })).status).toBe(204);
    await xadd("delivery", "ReservationConfirmed", { deliveryId: 1, rentalId: r.id });
    await allAcked();
    expect((await get(`${stack.procs.rental.url}/rentals/${r.id}`)).status).toBe(404);
  });

  test("a refund for a payment that never existed leaves a tombstone: a later charge is refused", async () => {
    await xadd("rental", "RentalCancelled", { rentalId: 888888, carId: "x", rentHour: 1, price: 1000, customerId: null, paymentId: null, reason: "payment-unavailable" });
    await allAcked();
    const late = await fetch(`${stack.procs.payment.url}/payments`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rentalId: 888888, rentHour: 1 }),
    });
    expect(late.status).toBe(409);
    expect((await get(`${stack.procs.payment.url}/payments?rentalId=888888`)).body.items).toEqual([]);
    expect((await get(`${stack.procs.delivery.url}/deliveries?rentalId=888888`)).body.items).toEqual([]);
  });
});

describe("graceful drain", () => {
  test("SIGTERM under load: readiness 503 at once, every accepted request completes, nothing is lost", async () => {
    const rental = stack.procs.rental;
    const send = (i: number) =>
      fetch(`${rental.url}/rentals`, {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ carId: `drain-${i}`, rentHour: 1, customerId: "drain" }),
      }).then(
        async (res) => ({ status: res.status, body: (await res.json()) as Json }),
        () => ({ status: 0, body: {} as Json }), // refused: never accepted
      );
    const inFlight = Array.from({ length: 30 }, (_, i) => send(i));
    await Bun.sleep(5);
    const stopping = performance.now();
    rental.proc.kill("SIGTERM");
    // Readiness turns 503 as soon as the signal is handled, while requests are still served.
    const readyDuringDrain = await eventually(async () => {
      const res = await fetch(`${rental.url}/readyz`);
      return res.status === 503 ? ((await res.json()) as Json) : undefined;
    }, 1_000, "readiness 503 during the drain");
    expect(readyDuringDrain.status).toBe("draining");
    const during = await send(100); // still served while draining
    const answers = [...(await Promise.all(inFlight)), during];
    const code = await rental.proc.exited;
    const exitMs = performance.now() - stopping;
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(Number(stack.envOf("rental").SHUTDOWN_TIMEOUT_MS ?? 20_000));
    const accepted = answers.filter((a) => a.status !== 0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);

    const db = await openDatabase(stack.dbUrl("rental"));
    const backlog = await db.execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
    await db.close();
    expect(Number(backlog.rows[0]!.n)).toBe(0);

    await stack.restartWith("rental");
    for (const a of accepted) {
      await eventually(async () => {
        const v = await get(`${stack.procs.mypage.url}/mypages/${a.body.id}`);
        return v.status === 200 && v.body.status === "AwaitingConfirmation" ? true : undefined;
      }, 15_000, `rental ${a.body.id} on mypage`);
    }
  });
});

describe("check-invariants", () => {
  test("audits the stack's databases and Redis, reports what it finds, and exits", async () => {
    const proc = Bun.spawn([process.execPath, "scripts/check-invariants.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        REDIS_URL: stack.redisUrl,
        STREAM_PREFIX: stack.prefix,
        RENTAL_DATABASE_URL: stack.dbUrl("rental"),
        PAYMENT_DATABASE_URL: stack.dbUrl("payment"),
        DELIVERY_DATABASE_URL: stack.dbUrl("delivery"),
        MYPAGE_DATABASE_URL: stack.dbUrl("mypage"),
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    const exited = await Promise.race([proc.exited, Bun.sleep(15_000).then(() => "hung" as const)]);
    if (exited === "hung") proc.kill();
    expect(exited).toBe(1); // the edge events above left rows for rentals nobody reserved
    const out = await new Response(proc.stdout).text();
    expect(out).toContain("mypage row for unknown rental 424242");
    expect(out).toContain("rentals");
  });
});
