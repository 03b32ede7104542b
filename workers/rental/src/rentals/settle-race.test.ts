import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { createLogger } from "@rentalnang/shared/log/logger";
import { seedDemoFleet } from "../cars/car-store.ts";
import { migrations } from "../migrations.ts";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { confirmRental } from "./confirm-rental.ts";
import { findRental } from "./rental-store.ts";
import { createReserveRental } from "./reserve-rental.ts";
import { createSettleStaleRentals } from "./settle-stale-rentals.ts";

/**
 * The payment call runs outside any transaction, so the pending rental may change before it
 * is settled: a manager confirms it, or the stale-payment sweep settles it. The settlement
 * then starts from the rental as it is, not as it was claimed.
 */

const logger = createLogger("test", "silent");
let db: Database;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  await seedDemoFleet(db, 1000, new Date().toISOString());
});

afterEach(() => db.close());

/** Reserves car aaa with a payment that approves after `during` ran (on the pending rental's id). */
function reserveWith(during: (rentalId: number) => Promise<void>) {
  const payment: PaymentGateway = {
    charge: async (request) => {
      await during(request.rentalId);
      return { kind: "approved", paymentId: 41 };
    },
    retryAfterSeconds: () => 1,
    circuit: "closed",
  };
  const reserve = createReserveRental({ db, payment, publishSoon: () => {}, now: () => new Date().toISOString() });
  return reserve({ carId: "aaa", rentHour: 2, customerId: "c-1" }, { correlationId: "c" });
}

const eventTypes = async () => (await db.execute("SELECT envelope FROM outbox ORDER BY seq")).rows.map((r) => JSON.parse(String(r.envelope)).type);

describe("settling a reservation whose rental changed during the payment call", () => {
  test("untouched: it is Reserved, with its Rented event", async () => {
    const result = await reserveWith(async () => {});
    expect(result.kind).toBe("reserved");
    if (result.kind !== "reserved") return;
    expect((await findRental(db, result.rental.id))?.status).toBe("Reserved");
    expect(await eventTypes()).toEqual(["Rented"]);
  });

  test("a manager confirmed it meanwhile: it is Confirmed at once", async () => {
    const result = await reserveWith((id) => db.write((tx) => confirmRental(tx, id, logger)));
    expect(result.kind).toBe("reserved");
    if (result.kind !== "reserved") return;
    const saved = await findRental(db, result.rental.id);
    expect(saved).toMatchObject({ status: "Confirmed", managerConfirmed: true, paymentId: 41 });
    expect(result.rental.status).toBe("Confirmed");
    expect(await eventTypes()).toEqual(["Rented"]);
  });

  test("the stale-payment sweep settled it meanwhile: its cancellation stands, and nothing is added", async () => {
    const sweep = createSettleStaleRentals({ db, publishSoon: () => {}, logger, now: () => new Date().toISOString() });
    const result = await reserveWith(async (id) => void (await sweep(new Date(Date.now() + 60_000).toISOString(), [id])));
    expect(result.kind).toBe("unavailable");
    const saved = await findRental(db, result.kind === "unavailable" ? result.rental.id : 0);
    expect(saved).toMatchObject({ status: "Cancelled", cancelReason: "payment-unavailable", paymentId: null });
    expect(await eventTypes()).toEqual(["RentalCancelled"]);
  });
});
