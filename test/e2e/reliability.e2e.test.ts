import { beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { databaseVariable } from "@rentalnang/shared/config/worker-database-urls";
import { openDatabase } from "@rentalnang/shared/db/database";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { addCars } from "@rentalnang/shared/testing/fleet";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis } from "@rentalnang/shared/testing/harness";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { httpClient, type Json } from "@rentalnang/shared/testing/http-client";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups, workerNames, type StreamName, type WorkerName } from "@rentalnang/shared/topology/topology";

/**
 * Edge events, dead letters and the graceful drain, against the whole stack.
 * Each edge case ends in a documented state (docs/reliability.md), never a crash loop.
 */

let stack: Stack;
let redis: Redis;
const cleanup = cleanupAll();
const http = httpClient();
const { get, post } = http;

beforeAll(async () => {
  stack = await startStack({ all: { READINESS_DRAIN_MS: "400" } }, undefined, { auth: "off" }); // lab mode: this is about failures, not access
  cleanup.defer(() => stack.stop());
  redis = await connectTestRedis(cleanup, stack.redisUrl);
});

const stream = (source: StreamName) => streamKey(stack.prefix, source);
const dead = (group: WorkerName) => deadLetterKey(stack.prefix, group);
async function xadd(source: StreamName, type: string, data: unknown, version = 1) {
  const e = envelopeFor({ type, version, aggregateId: "edge", data }, source, { correlationId: "edge-test" });
  await redis.xadd(stream(source), "*", "event", JSON.stringify(e));
  return e;
}
const pendingOf = async (source: StreamName, group: string) => Number(((await redis.xpending(stream(source), group)) as [number])[0]);
// The stack's own databases, never the ones of an `npm start` under ./data.
const cli = (...args: string[]) => runScript("scripts/dead-letters.ts", args, {
  REDIS_URL: stack.redisUrl, STREAM_PREFIX: stack.prefix,
  ...Object.fromEntries(workerNames.map((w) => [databaseVariable(w), stack.dbUrl(w)])),
});
async function allAcked() {
  await eventually(async () => {
    for (const { group, streams } of consumerGroups) {
      for (const source of streams) if ((await pendingOf(source, group)) > 0) return undefined;
    }
    return true;
  }, { what: "every entry acked", timeoutMs: 10_000 });
}

describe("edge events", () => {
  test("a malformed entry and an unknown event version go to dead letters; the loop goes on", async () => {
    await redis.xadd(stream("rental"), "*", "event", "{oops");
    await xadd("rental", "Rented", { rentalId: 1 }, 99);
    await eventually(async () => (await redis.xlen(dead("mypage"))) === 2, { what: "two dead letters", timeoutMs: 10_000 });
    const ready = await get(`${stack.procs.mypage.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.consumer.deadLetters).toBe(2);
    // The loop keeps going: a good reservation still reaches the view.
    await addCars(stack.gateway.url, ["after-poison"]);
    const { id } = (await post(`${stack.gateway.url}/rentals`, { carId: "after-poison", rentHour: 1 })).body;
    await eventually(async () => (await get(`${stack.procs.mypage.url}/mypages/${id}`)).status === 200);
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
    await eventually(async () => (await get(`${stack.procs.mypage.url}/mypages/424242`)).status === 200, { what: "redriven event", timeoutMs: 10_000 });

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
    await addCars(stack.procs.rental.url, ["gone"]);
    const r = (await post(`${stack.procs.rental.url}/rentals`, { carId: "gone", rentHour: 1 })).body;
    expect((await http.delete(`${stack.procs.rental.url}/rentals/${r.id}`)).status).toBe(204);
    await xadd("delivery", "ReservationConfirmed", { deliveryId: 1, rentalId: r.id });
    await allAcked();
    expect((await get(`${stack.procs.rental.url}/rentals/${r.id}`)).status).toBe(404);
  });

  test("a refund for a payment that never existed leaves a tombstone: a later charge is refused", async () => {
    await xadd("rental", "RentalCancelled", { rentalId: 888888, carId: "x", rentHour: 1, price: 1000, customerId: null, paymentId: null, reason: "payment-unavailable" });
    await allAcked();
    const late = await post(`${stack.procs.payment.url}/payments`, { rentalId: 888888, rentHour: 1 });
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
        // fetch itself, not the test client: only a refused connection is "never accepted", an answer cut short fails.
        async (res) => ({ status: res.status, body: (await res.json()) as Json }),
        () => ({ status: 0, body: {} as Json }), // refused: never accepted
      );
    await addCars(rental.url, [...Array.from({ length: 30 }, (_, i) => `drain-${i}`), "drain-100"]);
    const inFlight = Array.from({ length: 30 }, (_, i) => send(i));
    await Bun.sleep(5);
    rental.proc.kill("SIGTERM");
    // Readiness turns 503 as soon as the signal is handled, while requests are still served.
    const readyDuringDrain = await eventually(async () => {
      const res = await get(`${rental.url}/readyz`);
      return res.status === 503 && res.body;
    }, { what: "readiness 503 during the drain" });
    expect(readyDuringDrain.status).toBe("draining");
    const during = await send(100); // still served while draining
    const answers = [...(await Promise.all(inFlight)), during];
    // 0, not the 1 the process exits with once its shutdown deadline (SHUTDOWN_TIMEOUT_MS) has passed.
    expect(await rental.proc.exited).toBe(0);
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
        return v.status === 200 && v.body.status === "AwaitingConfirmation";
      }, { what: `rental ${a.body.id} on mypage`, timeoutMs: 15_000 });
    }
  });
});

describe("check-invariants", () => {
  test("audits the stack's databases and Redis, reports what it finds, and exits", async () => {
    const { code, out } = await runScript("scripts/check-invariants.ts", [], {
      REDIS_URL: stack.redisUrl,
      STREAM_PREFIX: stack.prefix,
      RENTAL_DATABASE_URL: stack.dbUrl("rental"),
      PAYMENT_DATABASE_URL: stack.dbUrl("payment"),
      DELIVERY_DATABASE_URL: stack.dbUrl("delivery"),
      MYPAGE_DATABASE_URL: stack.dbUrl("mypage"),
    }, 15_000);
    expect(code).toBe(1); // the edge events above left rows for rentals nobody reserved
    expect(out).toContain("mypage row for unknown rental 424242");
    expect(out).toContain("rentals");
  });
});
