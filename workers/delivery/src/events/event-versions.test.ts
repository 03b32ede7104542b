import { afterEach, beforeEach, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { createDeliveryUseCases } from "../deliveries/delivery-use-cases.ts";
import { findDeliveryByRental } from "../deliveries/delivery-store.ts";
import type { ConfirmationQueue } from "../jobs/confirmation-queue.ts";
import type { JobData } from "../jobs/job-data.ts";
import { migrations } from "../migrations.ts";
import { createEventHandler } from "./event-handler.ts";

/** A confirmation request carries the reserved window from PaymentApproved version 2; version 1 makes one without it. */

const window = { startAt: "2026-12-01T09:00:00.000Z", endAt: "2026-12-01T12:00:00.000Z" };
let db: Database;
let jobs: JobData[];
let handler: ReturnType<typeof createEventHandler>;
let useCases: ReturnType<typeof createDeliveryUseCases>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  jobs = [];
  const queue = { request: async (data: JobData) => void jobs.push(data) };
  useCases = createDeliveryUseCases({ db, publishSoon: () => {} });
  handler = createEventHandler({ db, queue: queue as unknown as ConfirmationQueue, publishSoon: () => {} });
});
afterEach(() => db.close());

const approved = (rentalId: number, version: number, extra: Record<string, unknown> = {}) =>
  envelopeFor(
    { type: "PaymentApproved", version, aggregateId: String(rentalId), data: { paymentId: rentalId + 100, rentalId, amount: 3000, rentHour: 3, carId: "aaa", ...extra } },
    "payment",
    { correlationId: "versions" },
  );

test("PaymentApproved version 2 gives the request its window; version 1 still makes one, without a window", async () => {
  await handler.handle(approved(1, 2, window));
  await handler.handle(approved(2, 1));
  for (const { eventId, correlationId, ...input } of jobs) await useCases.requestDelivery(input, { correlationId, causationId: eventId });
  expect(await findDeliveryByRental(db, 1)).toMatchObject({ status: "PendingConfirmation", ...window });
  expect(await findDeliveryByRental(db, 2)).toMatchObject({ status: "PendingConfirmation", startAt: null, endAt: null });
});
