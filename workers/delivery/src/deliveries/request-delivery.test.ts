import { afterEach, beforeEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { appendToOutbox } from "@rentalnang/shared/db/outbox";
import { migrations } from "../migrations.ts";
import { cancelDeliveryForRental } from "./cancel-delivery.ts";
import { findDeliveryByRental } from "./delivery-store.ts";
import { createRequestDelivery } from "./request-delivery.ts";

/**
 * The confirmation job's work on a real libSQL database: one delivery per rental whatever
 * the number of runs, none once the rental was cancelled, and each outcome named as before.
 */

let db: Database;
let requestDelivery: ReturnType<typeof createRequestDelivery>;
beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  requestDelivery = createRequestDelivery({ db, publishSoon: () => {} });
});
afterEach(() => db.close());

const input = (rentalId: number) => ({ rentalId, paymentId: rentalId + 100, carId: "aaa", rentHour: 2, startAt: null, endAt: null });
const cause = { correlationId: "request-delivery" };
const outboxTypes = async () =>
  (await db.execute("SELECT envelope FROM outbox ORDER BY seq")).rows.map((r) => (JSON.parse(String(r.envelope)) as { type: string }).type);
/** RentalCancelled as delivery's event handler applies it: the cancellation and its events in one transaction. */
const cancel = (rentalId: number) => db.write(async (tx) => appendToOutbox(tx, await cancelDeliveryForRental(tx, rentalId, cause)));

test("the first run creates the request with its event; a run again finds it and writes nothing", async () => {
  expect(await requestDelivery(input(1), cause)).toBe("created");
  expect(await requestDelivery(input(1), cause)).toBe("exists");
  expect(await findDeliveryByRental(db, 1)).toMatchObject({ rentalId: 1, status: "PendingConfirmation" });
  expect(await outboxTypes()).toEqual(["ConfirmationRequested"]);
});

test("a rental cancelled before its job ran gets no request", async () => {
  await cancel(2);
  expect(await requestDelivery(input(2), cause)).toBe("cancelled");
  expect(await findDeliveryByRental(db, 2)).toBeUndefined();
  expect(await outboxTypes()).toEqual([]);
});

test("a request cancelled with its rental stays the one there was: a run again says it exists", async () => {
  expect(await requestDelivery(input(3), cause)).toBe("created");
  await cancel(3);
  expect(await requestDelivery(input(3), cause)).toBe("exists");
  expect(await findDeliveryByRental(db, 3)).toMatchObject({ status: "Cancelled" });
  expect(await outboxTypes()).toEqual(["ConfirmationRequested", "ConfirmationCancelled"]);
});
