import { beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { expectProblem } from "@rentalnang/shared/testing/expect-problem";
import { addCars } from "@rentalnang/shared/testing/fleet";
import { httpClient, type Reply } from "@rentalnang/shared/testing/http-client";
import type { RunningProcess } from "@rentalnang/shared/testing/processes";
import { spawnRentalAndPayment, type RentalAndPayment } from "@rentalnang/shared/testing/rental-and-payment";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";

/**
 * The first half of the saga with real processes: rental and payment spawned as `npm start`
 * runs them, a private redis-server, libSQL files in a temporary directory.
 */

const PAYMENT_TIMEOUT_MS = 800;
const BREAKER_THRESHOLD = 3;
const HALF_OPEN_MS = 1_000;

let redis: Redis;
let prefix: string;
let pair: RentalAndPayment;
let payment: RunningProcess;
let rental: RunningProcess;
const cleanup = cleanupAll();
const http = httpClient();

beforeAll(async () => {
  pair = await spawnRentalAndPayment(cleanup, "e2e", {
    rental: {
      PAYMENT_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS),
      PAYMENT_BREAKER_THRESHOLD: String(BREAKER_THRESHOLD),
      PAYMENT_BREAKER_HALF_OPEN_MS: String(HALF_OPEN_MS),
    },
  });
  ({ redis, prefix, payment, rental } = pair);
  // The cars these tests reserve (aaa is the demo fleet's); each window is taken at most once while live.
  await addCars(rental.url, ["idem", "big", "bye", "conf", "l1", "l2", "l3", "down", "back"]);
});

async function reserve(body: unknown, headers: Record<string, string> = {}, base = rental.url) {
  const res = await http.post(`${base}/rentals`, body, headers);
  return { res, body: res.body };
}

describe("reserve and pay", () => {
  test("the original's httpie call reserves a car: 201 Reserved with a paymentId", async () => {
    // http :8081/rentals carId=aaa rentHour='3' status=rented
    const { res, body } = await reserve({ carId: "aaa", rentHour: "3", status: "rented" }, { "x-request-id": "req-1" });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/rentals/${body.id}`);
    expect(res.headers.get("x-request-id")).toBe("req-1");
    expect(body).toMatchObject({ carId: "aaa", rentHour: 3, price: 3000, status: "Reserved", customerId: null });
    expect(body.paymentId).toBeGreaterThan(0);
    expect(body._links).toEqual({ self: { href: `/rentals/${body.id}` }, mypage: { href: `/mypages/${body.id}` } });

    const paid = await http.get(`${payment.url}/payments/${body.paymentId}`);
    expect(paid.body).toMatchObject({ rentalId: body.id, amount: 3000, status: "Approved" });

    const published = await eventually(async () => {
      const types = [
        ...(await redis.xrange(streamKey(prefix, "rental"), "-", "+")),
        ...(await redis.xrange(streamKey(prefix, "payment"), "-", "+")),
      ].map(([, f]) => JSON.parse(f[1]!))
        .filter((e) => e.aggregateId === String(body.id))
        .map((e) => `${e.type}:${e.correlationId}`);
      return types.length === 2 ? types.sort() : undefined;
    });
    expect(published).toEqual(["PaymentApproved:req-1", "Rented:req-1"]);
  });

  test("a retry with the same Idempotency-Key returns the first result and charges once", async () => {
    const first = await reserve({ carId: "idem", rentHour: 2 }, { "idempotency-key": "key-1" });
    const again = await reserve({ carId: "idem", rentHour: 2 }, { "idempotency-key": "key-1" });
    expect(first.res.status).toBe(201);
    expect(again.res.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const payments = await http.get(`${payment.url}/payments?rentalId=${first.body.id}`);
    expect(payments.body.items).toHaveLength(1);
    const other = await reserve({ carId: "idem", rentHour: 5 }, { "idempotency-key": "key-1" });
    expect(other.res.status).toBe(422);
  });

  test("a payment over the limit is 402 and the rental is kept as Cancelled (payment-declined)", async () => {
    const { res, body } = await reserve({ carId: "big", rentHour: 600 });
    expectProblem(res, 402);
    expect(body.rentalId).toBeGreaterThan(0);
    const kept = await http.get(`${rental.url}/rentals/${body.rentalId}`);
    expect(kept.body).toMatchObject({ status: "Cancelled", cancelReason: "payment-declined" });
    const declined = await http.get(`${payment.url}/payments/${kept.body.paymentId}`);
    expect(declined.body).toMatchObject({ rentalId: body.rentalId, status: "Declined" });
  });

  test("the customer cancels: 204, the rental is gone, the payment is refunded", async () => {
    const { body } = await reserve({ carId: "bye", rentHour: 1, customerId: "c-9" });
    const del = await http.delete(`${rental.url}/rentals/${body.id}`);
    expect(del.status).toBe(204);
    expect((await http.get(`${rental.url}/rentals/${body.id}`)).status).toBe(404);
    expect((await http.delete(`${rental.url}/rentals/${body.id}`)).status).toBe(404);
    await eventually(async () => (await http.get(`${payment.url}/payments/${body.paymentId}`)).body.status === "Refunded", { what: "refund", timeoutMs: 10_000 });
  });

  test("ReservationConfirmed from delivery's stream moves the rental to Confirmed", async () => {
    const { body } = await reserve({ carId: "conf", rentHour: 4 });
    const event = envelopeFor(
      { type: "ReservationConfirmed", version: 1, aggregateId: String(body.id), data: { deliveryId: 99, rentalId: body.id } },
      "delivery",
      { correlationId: "manager" },
    );
    await redis.xadd(streamKey(prefix, "delivery"), "*", "event", JSON.stringify(event));
    await eventually(async () => (await http.get(`${rental.url}/rentals/${body.id}`)).body.status === "Confirmed", { what: "Confirmed", timeoutMs: 10_000 });
  });

  test("rentals are listed newest first with filters and a cursor", async () => {
    for (const carId of ["l1", "l2", "l3"]) await reserve({ carId, rentHour: 1, customerId: "lister" });
    const page1 = await http.get(`${rental.url}/rentals?customerId=lister&limit=2`);
    expect(page1.body.items.map((r: any) => r.carId)).toEqual(["l3", "l2"]);
    const page2 = await http.get(`${rental.url}/rentals?customerId=lister&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [expect.objectContaining({ carId: "l1" })], nextCursor: null });
    const blanks = await http.get(`${rental.url}/rentals?customerId=&status=&limit=&cursor=`);
    expect(blanks.status).toBe(200); // a blank filter is no filter
    expect(blanks.body).toEqual((await http.get(`${rental.url}/rentals`)).body);
    const reserved = await http.get(`${rental.url}/rentals?status=Cancelled&limit=100`);
    expect(reserved.body.items.every((r: any) => r.status === "Cancelled")).toBe(true);
  });
});

describe("bad input gets a 4xx problem, never a 5xx", () => {
  const rentals = () => `${rental.url}/rentals`;
  const cases: [string, () => Promise<Reply>, number][] = [
    ["malformed JSON", () => http.request("POST", rentals(), { headers: { "content-type": "application/json" }, body: "{carId:" }), 400],
    ["missing fields", () => http.post(rentals(), {}), 400],
    ["wrong field types", () => http.post(rentals(), { carId: "no spaces allowed", rentHour: "3.5" }), 400],
    ["rentHour out of range", () => http.post(rentals(), { carId: "a", rentHour: 721 }), 400],
    ["a JSON array body", () => http.post(rentals(), [1, 2]), 400],
    ["unknown route", () => http.get(`${rental.url}/nowhere`), 404],
    ["an id that is not a number", () => http.get(`${rental.url}/rentals/abc`), 400],
    ["wrong method", () => http.request("PUT", rentals()), 405],
    ["body over 64 KiB", () => http.post(rentals(), { carId: "a", rentHour: 1, pad: "x".repeat(70_000) }), 413],
    ["not JSON", () => http.request("POST", rentals(), { headers: { "content-type": "text/plain" }, body: "carId=a" }), 415],
    ["bad limit", () => http.get(`${rental.url}/rentals?limit=1000`), 400],
    ["forged cursor", () => http.get(`${rental.url}/rentals?cursor=zzz`), 400],
    ["bad status filter", () => http.get(`${rental.url}/rentals?status=Lost`), 400],
    ["payment: missing rentalId", () => http.post(`${payment.url}/payments`, { rentHour: 1 }), 400],
  ];
  for (const [name, send, status] of cases) {
    test(`${name} → ${status}`, async () => {
      const res = await send();
      expectProblem(res, status);
      if (status === 400 && name.includes("fields")) expect(res.body.errors).toBeArray();
    });
  }

  test("missing fields are each listed", async () => {
    const body = (await http.post(`${rental.url}/rentals`, {})).body as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(["carId", "rentHour"]);
  });
});

describe("payment unavailable", () => {
  test("payment stopped → 503 with Retry-After; the circuit opens and answers without calling payment; it recovers when payment returns", async () => {
    await payment.kill();
    const first = await reserve({ carId: "down", rentHour: 1 });
    expect(first.res.status).toBe(503);
    expect(first.res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await http.get(`${rental.url}/rentals/${first.body.rentalId}`)).body).toMatchObject({
      status: "Cancelled",
      cancelReason: "payment-unavailable",
    });
    for (let i = 1; i < BREAKER_THRESHOLD; i++) expect((await reserve({ carId: "down", rentHour: 1 })).res.status).toBe(503);

    const ready = await http.get(`${rental.url}/readyz`);
    expect(ready.status).toBe(200); // rental stays ready: it answers, with 503s, and fast
    expect(ready.body.checks.paymentCircuit.circuit).toBe("open");
    const refused = await reserve({ carId: "down", rentHour: 1 });
    expect(refused.res.status).toBe(503);
    // Said only when the open breaker refused the charge itself: payment was not called.
    expect(refused.body.detail).toBe("payment circuit is open");

    payment = pair.payment = await payment.restart();
    const recovered = await eventually(async () => {
      const r = await reserve({ carId: "back", rentHour: 1 });
      return r.res.status === 201 ? r.body : undefined;
    }, { what: "recovery", timeoutMs: 15_000 });
    expect(recovered.status).toBe("Reserved");
  });

  test("payment answering after PAYMENT_TIMEOUT_MS → 503 before payment's late answer, and the late charge ends Refunded", async () => {
    const { payment: slow, rental: impatient } = await spawnRentalAndPayment(cleanup, "slow", {
      payment: { FAULT_PAYMENT_DELAY_MS: "3000" },
      rental: { PAYMENT_TIMEOUT_MS: "400" },
    });

    await addCars(impatient.url, ["slow"]);
    // Payment logs each request just before it answers it, here 3 s after taking the charge.
    const answeredCharges = () => slow.output.filter((line) => line.includes('"method":"POST","path":"/payments"'));
    const { res, body } = await reserve({ carId: "slow", rentHour: 1 }, {}, impatient.url);
    expect(answeredCharges()).toEqual([]); // rental gave up before payment answered
    expect(res.status).toBe(503);
    expect(body.detail).toContain("did not answer within 400 ms");
    await eventually(() => answeredCharges().length === 1, { what: "payment's late answer", timeoutMs: 15_000 });
    // The charge was taken, and answered too late: rental's RentalCancelled refunds it.
    await eventually(async () => {
      const p = await http.get(`${slow.url}/payments?rentalId=${body.rentalId}`);
      return p.body.items.length === 1 && p.body.items[0].status === "Refunded";
    }, { what: "the late charge refunded", timeoutMs: 10_000 });
  });
});
