import { expect, test } from "bun:test";
import { openDatabase } from "@rentalnang/shared/db/database";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { addCars } from "@rentalnang/shared/testing/fleet";
import { httpClient } from "@rentalnang/shared/testing/http-client";
import { spawnRentalAndPayment } from "@rentalnang/shared/testing/rental-and-payment";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";

/**
 * The stale-payment sweep, end to end: rental dies while its payment call is in flight and
 * payment has already taken the charge. Nobody will ever settle that rental but the sweep of
 * the restarted rental: it ends Cancelled (payment-unavailable), its RentalCancelled refunds
 * the charge, and the client's retry with its Idempotency-Key hears that outcome.
 */

const PAYMENT_TIMEOUT_MS = 3_000;
const STALE_AFTER_MS = 3_500;
/** Payment answers long after rental is gone: the charge is committed first. */
const PAYMENT_DELAY_MS = 6_000;

/** Set here: a run of many files does not always apply test/setup.ts's default to each. */
const TEST_TIMEOUT_MS = 25_000;
const cleanup = cleanupEach();
const http = httpClient();

test("a rental whose caller died mid-payment ends Cancelled (payment-unavailable) and its charge Refunded", async () => {
  // Lab mode (AUTH=off): this is about the sweep, not access.
  const { redis, prefix, dir, payment, rental } = await spawnRentalAndPayment(cleanup, "stale", {
    payment: { FAULT_PAYMENT_DELAY_MS: String(PAYMENT_DELAY_MS), SHUTDOWN_TIMEOUT_MS: "2000" },
    rental: { PAYMENT_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS), STALE_PAYMENT_AFTER_MS: String(STALE_AFTER_MS) },
  });

  const key = `stale-${crypto.randomUUID()}`;
  const body = { carId: "stale", rentHour: 2, customerId: "c-stale" };
  await addCars(rental.url, [body.carId]);
  const cut = http.post(`${rental.url}/rentals`, body, { "idempotency-key": key }).catch((error: unknown) => error);
  const charge = await eventually(async () => (await http.get(`${payment.url}/payments`)).body.items[0], { what: "the charge taken" });
  expect(charge.status).toBe("Approved");
  await rental.kill(); // mid-call: rental's own timeout has not fired
  expect(await cut).toBeInstanceOf(Error);

  const rentalDb = await openDatabase(dir.db("rental"));
  const left = await rentalDb.execute({ sql: "SELECT status FROM rentals WHERE id = ?", args: [charge.rentalId] });
  await rentalDb.close();
  expect(left.rows[0]?.status).toBe("PaymentPending"); // only the sweep can settle it now

  const restarted = await rental.restart();
  cleanup.defer(() => restarted.stop());
  const settled = await eventually(async () => {
    const r = await http.get(`${restarted.url}/rentals/${charge.rentalId}`);
    return r.body.status === "Cancelled" && r.body;
  }, { what: "the sweep settling the rental" });
  expect(settled).toMatchObject({ cancelReason: "payment-unavailable", paymentId: null });
  await eventually(async () => (await http.get(`${payment.url}/payments/${charge.id}`)).body.status === "Refunded", {
    what: "the charge refunded",
  });

  const cancelled = (await redis.xrange(streamKey(prefix, "rental"), "-", "+"))
    .map(([, fields]) => JSON.parse(fields[1]!))
    .filter((e) => e.type === "RentalCancelled");
  expect(cancelled.map((e) => [e.data.rentalId, e.data.reason])).toEqual([[charge.rentalId, "payment-unavailable"]]);

  const retry = await http.post(`${restarted.url}/rentals`, body, { "idempotency-key": key });
  expect(retry.status).toBe(503);
  expect(retry.body.rentalId).toBe(charge.rentalId);
  expect(retry.headers.get("retry-after")).toMatch(/^\d+$/);
  expect((await http.get(`${payment.url}/payments`)).body.items).toHaveLength(1);
}, TEST_TIMEOUT_MS);
