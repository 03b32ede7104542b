import { afterEach, beforeEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { appendToOutbox } from "@rentalnang/shared/db/outbox";
import { migrations } from "../migrations.ts";
import { createChargePayment } from "./charge-payment.ts";
import { refundCancelledRental } from "./refund-payment.ts";

/**
 * A charge on a real libSQL database: taken once per rental whatever the number of calls
 * (the first answer repeated), refused once the rental was cancelled, and answered with the
 * payment there is when the cancellation came after it.
 */

let db: Database;
let charge: ReturnType<typeof createChargePayment>;
beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  charge = createChargePayment({ db, limit: 10_000, ratePerHour: 1000, publishSoon: () => {} });
});
afterEach(() => db.close());

const request = (rentalId: number, rentHour = 3) => ({ rentalId, rentHour, carId: "aaa", customerId: "c-1", startAt: null, endAt: null });
const cause = { correlationId: "charge-payment" };
const outboxTypes = async () =>
  (await db.execute("SELECT envelope FROM outbox ORDER BY seq")).rows.map((r) => (JSON.parse(String(r.envelope)) as { type: string }).type);
/** RentalCancelled as payment's event handler applies it: the tombstone, the refund and its events in one transaction. */
const cancel = (rentalId: number) => db.write(async (tx) => appendToOutbox(tx, await refundCancelledRental(tx, rentalId, "customer", cause)));

test("the first charge is taken with its event; a second answers the same payment, as a repeat, and writes nothing", async () => {
  const first = await charge(request(1), cause);
  expect(first).toMatchObject({ kind: "approved", repeat: false, payment: { rentalId: 1, amount: 3000, status: "Approved" } });
  const again = await charge(request(1), cause);
  expect(again).toEqual({ kind: "approved", repeat: true, payment: first.kind === "approved" ? first.payment : undefined! });
  expect((await db.execute("SELECT count(*) AS n FROM payments")).rows[0]!.n).toBe(1);
  expect(await outboxTypes()).toEqual(["PaymentApproved"]);
});

test("over the limit the charge is declined, kept, and a second call answers the same", async () => {
  expect(await charge(request(2, 20), cause)).toMatchObject({ kind: "declined", payment: { status: "Declined", amount: 20_000 } });
  expect(await charge(request(2, 20), cause)).toMatchObject({ kind: "declined", payment: { status: "Declined" } });
  expect(await outboxTypes()).toEqual([]);
});

test("a rental cancelled before its charge is refused and charged nothing", async () => {
  await cancel(3);
  expect(await charge(request(3), cause)).toMatchObject({ kind: "refused" });
  expect((await db.execute("SELECT count(*) AS n FROM payments")).rows[0]!.n).toBe(0);
});

test("a charge asked again after its rental was cancelled answers the payment there is, refunded", async () => {
  await charge(request(4), cause);
  await cancel(4);
  expect(await charge(request(4), cause)).toMatchObject({ kind: "approved", repeat: true, payment: { status: "Refunded" } });
  expect(await outboxTypes()).toEqual(["PaymentApproved", "PaymentRefunded"]);
});
