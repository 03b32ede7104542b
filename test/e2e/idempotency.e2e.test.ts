import { beforeAll, expect, test } from "bun:test";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { addCars } from "@rentalnang/shared/testing/fleet";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { httpClient, type Reply } from "@rentalnang/shared/testing/http-client";
import type { RunningProcess } from "@rentalnang/shared/testing/processes";
import { spawnRentalAndPayment } from "@rentalnang/shared/testing/rental-and-payment";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";

/**
 * Many requests with one Idempotency-Key, released together against real rental and payment
 * processes: one rental, one charge, one 201; every other answer is that 201 replayed byte
 * for byte, or 409 while the first is still paying. Payment answers slowly, so most of the
 * burst arrives while the first request's charge is in flight.
 */

const BURST = 20;
const PAYMENT_DELAY_MS = 400;
/** Set here: a run of many files does not always apply test/setup.ts's default to each. */
const STARTUP_TIMEOUT_MS = 25_000;

let redis: Redis;
let prefix: string;
let payment: RunningProcess;
let rental: RunningProcess;
const cleanup = cleanupAll();
const http = httpClient();

beforeAll(async () => {
  ({ redis, prefix, payment, rental } = await spawnRentalAndPayment(cleanup, "idem", {
    payment: { FAULT_PAYMENT_DELAY_MS: String(PAYMENT_DELAY_MS) },
    rental: { PAYMENT_TIMEOUT_MS: "5000" },
  }));
}, STARTUP_TIMEOUT_MS);

/** Each key reserves a car of its own (named after it): other tests' reservations hold theirs. */
const reserve = (key: string, customerId: string) =>
  http.post(`${rental.url}/rentals`, { carId: key, rentHour: 2, customerId }, { "idempotency-key": key });

async function approvedEventsFor(rentalId: number) {
  const entries = await redis.xrange(streamKey(prefix, "payment"), "-", "+");
  return entries
    .map(([, fields]) => JSON.parse(fields[1]!))
    .filter((e) => e.type === "PaymentApproved" && e.data.rentalId === rentalId);
}

test(`${BURST} concurrent requests with one Idempotency-Key: one rental, one charge, one 201, the rest replays or 409`, async () => {
  const key = `burst-${crypto.randomUUID()}`;
  const customerId = `c-${key}`;
  await addCars(rental.url, [key]);
  const answers = await Promise.all(Array.from({ length: BURST }, () => reserve(key, customerId)));

  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
  const created = answers.filter((a) => a.status === 201);
  expect(created.length).toBeGreaterThanOrEqual(1);
  // The burst really overlapped the first request's payment call (else it tests nothing concurrent).
  expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
  const first = created[0]!;
  for (const a of created) expect(a.text).toBe(first.text); // replays are the first answer, byte for byte
  for (const a of answers.filter((x) => x.status === 409)) {
    expect(a.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(a.body.rentalId).toBe(first.body.id);
  }

  // Those told 409 retry once the first has settled: each gets the very same 201.
  const retried: Reply[] = await Promise.all(answers.filter((a) => a.status === 409).map(() => reserve(key, customerId)));
  for (const a of retried) {
    expect(a.status).toBe(201);
    expect(a.text).toBe(first.text);
    expect(a.headers.get("location")).toBe(`/rentals/${first.body.id}`);
  }

  const rentals = await http.get(`${rental.url}/rentals?customerId=${customerId}`);
  expect(rentals.body.items.map((r: { id: number }) => r.id)).toEqual([first.body.id]);
  const payments = await http.get(`${payment.url}/payments`);
  expect(payments.body.items).toHaveLength(1);
  expect(payments.body.items[0]).toMatchObject({ rentalId: first.body.id, status: "Approved" });
  await eventually(async () => (await approvedEventsFor(first.body.id)).length > 0, { what: "PaymentApproved published" });
  expect(await approvedEventsFor(first.body.id)).toHaveLength(1);
});

test("a burst that arrives after the answer was recorded gets only replays", async () => {
  const key = `late-${crypto.randomUUID()}`;
  await addCars(rental.url, [key]);
  const first = await reserve(key, `c-${key}`);
  expect(first.status).toBe(201);
  const answers = await Promise.all(Array.from({ length: BURST }, () => reserve(key, `c-${key}`)));
  expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(201));
  for (const a of answers) expect(a.text).toBe(first.text);
  const payments = await http.get(`${payment.url}/payments?rentalId=${first.body.id}`);
  expect(payments.body.items).toHaveLength(1);
});
