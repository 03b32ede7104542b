import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { isRentalCancelled } from "../deliveries/delivery-store.ts";
import { createDeliveryUseCases } from "../deliveries/delivery-use-cases.ts";
import type { JobData } from "../jobs/job-data.ts";
import { migrations } from "../migrations.ts";
import { createEventHandler } from "./event-handler.ts";

/**
 * A cancellation and its rental's confirmation request reach delivery in either order. The
 * order is set by the test, not by timing: the event handler and the confirmation job's use
 * case run one after the other on a real libSQL database. Here every request takes the
 * queue's path (its first attempt failed, so a job retries it): the queue keeps each job by
 * its id (the event id), as BullMQ does, and the test runs a job when its step says so. The
 * attempt made at once is confirmation-queue.test.ts's.
 */

const RENTAL_ID = 41;

let db: Database;
let jobs: Map<string, JobData>;
let handler: ReturnType<typeof createEventHandler>;
let useCases: ReturnType<typeof createDeliveryUseCases>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  jobs = new Map();
  const request = async (data: JobData) => void (jobs.has(data.eventId) || jobs.set(data.eventId, data));
  const queue = { request, requestAll: async (all: JobData[]) => void (await Promise.all(all.map(request))) };
  useCases = createDeliveryUseCases({ db, publishSoon: () => {} });
  handler = createEventHandler({ db, queue, publishSoon: () => {} });
});

afterEach(() => db.close());

const approvalOf = (rentalId: number) =>
  envelopeFor(
    { type: "PaymentApproved", version: 1, aggregateId: String(rentalId), data: { paymentId: 7, rentalId, amount: 3000, rentHour: 3, carId: "aaa" } },
    "payment",
    { correlationId: "order-test" },
  );
const paymentApproved = approvalOf(RENTAL_ID);
const rentalCancelled = envelopeFor(
  {
    type: "RentalCancelled", version: 1, aggregateId: String(RENTAL_ID),
    data: { rentalId: RENTAL_ID, carId: "aaa", rentHour: 3, price: 3000, customerId: null, paymentId: 7, reason: "customer" },
  },
  "rental",
  { correlationId: "order-test" },
);

/** The confirmation job's work for the event's job, as the queue's processor runs it. */
async function runJob(event: Envelope) {
  const job = jobs.get(event.id);
  if (!job) throw new Error(`no job for ${event.type} ${event.id}`);
  const { eventId, correlationId, ...input } = job;
  return useCases.requestDelivery(input, { correlationId, causationId: eventId });
}

async function deliveries() {
  const r = await db.execute({ sql: "SELECT id, status FROM deliveries WHERE rental_id = ?", args: [RENTAL_ID] });
  return r.rows.map((row) => ({ id: Number(row.id), status: String(row.status) }));
}

async function outboxTypes() {
  const r = await db.execute("SELECT envelope FROM outbox ORDER BY seq");
  return r.rows.map((row) => JSON.parse(String(row.envelope)) as Envelope).map((e) => `${e.type}:${e.causationId}`);
}

test("delivery accepts the two types it handles, and the consumer acks the others unhandled", () => {
  expect(handler.accepts).toEqual(["PaymentApproved", "RentalCancelled"]);
});

describe("a cancellation before its confirmation request", () => {
  test("RentalCancelled, then PaymentApproved and its job: no request is ever created", async () => {
    await handler.handle(rentalCancelled);
    expect(await deliveries()).toEqual([]);
    await handler.handle(paymentApproved);
    expect(await runJob(paymentApproved)).toBe("cancelled");
    expect(await deliveries()).toEqual([]);
    expect(await outboxTypes()).toEqual([]);
  });

  test("duplicates of each, in any interleaving, still create nothing and publish nothing", async () => {
    await handler.handle(rentalCancelled);
    await handler.handle(paymentApproved);
    await handler.handle(rentalCancelled);
    await handler.handle(paymentApproved);
    expect(jobs.size).toBe(1); // the job id is the event id
    expect(await runJob(paymentApproved)).toBe("cancelled");
    await handler.handle(rentalCancelled);
    expect(await runJob(paymentApproved)).toBe("cancelled"); // a job BullMQ runs again
    expect(await deliveries()).toEqual([]);
    expect(await outboxTypes()).toEqual([]);
  });

  test("the job already waiting when the cancellation arrives runs after it and creates nothing", async () => {
    await handler.handle(paymentApproved);
    await handler.handle(rentalCancelled);
    expect(await runJob(paymentApproved)).toBe("cancelled");
    expect(await deliveries()).toEqual([]);
    expect(await outboxTypes()).toEqual([]);
  });
});

describe("a batch", () => {
  test("of a cancellation, then the approval: handled in stream order, so no request is ever created", async () => {
    await handler.handleMany([rentalCancelled, paymentApproved]);
    expect(await runJob(paymentApproved)).toBe("cancelled");
    expect(await deliveries()).toEqual([]);
  });

  test("of approvals only: their requests are asked for together", async () => {
    const other = { ...paymentApproved, id: `${paymentApproved.id}-other` };
    await handler.handleMany([paymentApproved, other]);
    expect([...jobs.keys()]).toEqual([paymentApproved.id, other.id]);
    expect(await runJob(paymentApproved)).toBe("created");
    expect(await runJob(other)).toBe("exists");
  });

  test("mixed: each run of approvals is asked for together, and an event between two runs is handled between them", async () => {
    const [a1, a2] = [approvalOf(1), approvalOf(2)];
    const calls: { eventIds: string[]; cancelledBefore: boolean }[] = [];
    const queue = {
      request: async () => {
        throw new Error("a batch's approvals are asked for with requestAll");
      },
      requestAll: async (all: JobData[]) => {
        calls.push({ eventIds: all.map((d) => d.eventId), cancelledBefore: await isRentalCancelled(db, RENTAL_ID) });
        for (const data of all) jobs.set(data.eventId, data);
      },
    };
    const batching = createEventHandler({ db, queue, publishSoon: () => {} });
    await batching.handleMany([a1, a2, rentalCancelled, paymentApproved]);
    expect(calls).toEqual([
      { eventIds: [a1.id, a2.id], cancelledBefore: false },
      { eventIds: [paymentApproved.id], cancelledBefore: true },
    ]);
    expect(await runJob(paymentApproved)).toBe("cancelled");
  });

  test("with a poison entry: throws before anything is asked for or cancelled", async () => {
    const poison = { ...rentalCancelled, id: `${rentalCancelled.id}-poison`, data: { rentalId: "one" } };
    await expect(handler.handleMany([paymentApproved, poison, rentalCancelled])).rejects.toThrow();
    expect(jobs.size).toBe(0);
    expect(await isRentalCancelled(db, RENTAL_ID)).toBe(false);
  });
});

describe("a cancellation after its confirmation request", () => {
  test("PaymentApproved, the request created, then RentalCancelled: Cancelled, with ConfirmationCancelled in the outbox", async () => {
    await handler.handle(paymentApproved);
    expect(await runJob(paymentApproved)).toBe("created");
    const [created] = await deliveries();
    expect(created).toMatchObject({ status: "PendingConfirmation" });
    await handler.handle(rentalCancelled);
    expect(await deliveries()).toEqual([{ id: created!.id, status: "Cancelled" }]);
    expect(await outboxTypes()).toEqual([`ConfirmationRequested:${paymentApproved.id}`, `ConfirmationCancelled:${rentalCancelled.id}`]);
  });

  test("duplicates of each: one request, cancelled once, one event of each kind", async () => {
    await handler.handle(paymentApproved);
    await handler.handle(paymentApproved);
    expect(await runJob(paymentApproved)).toBe("created");
    expect(await runJob(paymentApproved)).toBe("exists");
    await handler.handle(rentalCancelled);
    await handler.handle(rentalCancelled);
    await handler.handle(paymentApproved);
    expect(await runJob(paymentApproved)).toBe("exists");
    expect(await deliveries()).toEqual([{ id: expect.any(Number), status: "Cancelled" }]);
    expect(await outboxTypes()).toEqual([`ConfirmationRequested:${paymentApproved.id}`, `ConfirmationCancelled:${rentalCancelled.id}`]);
  });

  test("a second cancellation of the same rental under another event id publishes nothing more", async () => {
    await handler.handle(paymentApproved);
    await runJob(paymentApproved);
    await handler.handle(rentalCancelled);
    await handler.handle({ ...rentalCancelled, id: `${rentalCancelled.id}-again` });
    expect(await deliveries()).toEqual([{ id: expect.any(Number), status: "Cancelled" }]);
    expect((await outboxTypes()).filter((t) => t.startsWith("ConfirmationCancelled"))).toHaveLength(1);
  });
});
