import type { Database, Transaction } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { shouldRequest } from "./delivery.ts";
import { toEnvelopes } from "./delivery-events.ts";
import { findDeliveryByRental, insertPendingDelivery, isRentalCancelled } from "./delivery-store.ts";

export interface RequestDeliveryInput {
  rentalId: number;
  paymentId: number;
  carId: string | null;
  rentHour: number;
  /** The reserved window; absent from jobs queued before events named it. */
  startAt?: string | null;
  endAt?: string | null;
}

export type RequestOutcome = "created" | "exists" | "cancelled";

/**
 * Several requests in one write transaction (a consumer's batch): one commit instead of one
 * each. All or nothing: if one fails, none is made.
 */
export function createRequestDeliveries(deps: { db: Database; publishSoon: () => void }) {
  return async function requestDeliveries(requests: { input: RequestDeliveryInput; cause: Cause }[]): Promise<RequestOutcome[]> {
    const outcomes = await deps.db.write(async (tx) => {
      const done: RequestOutcome[] = [];
      for (const { input, cause } of requests) done.push(await requestIn(tx, input, cause));
      return done;
    });
    if (outcomes.includes("created")) deps.publishSoon();
    return outcomes;
  };
}
export type RequestDeliveries = ReturnType<typeof createRequestDeliveries>;

/** The confirmation job's work: create the delivery once, unless the rental was cancelled first. */
export function createRequestDelivery(deps: { db: Database; publishSoon: () => void }) {
  const requestDeliveries = createRequestDeliveries(deps);
  return async function requestDelivery(input: RequestDeliveryInput, cause: Cause): Promise<RequestOutcome> {
    const [outcome] = await requestDeliveries([{ input, cause }]);
    return outcome!;
  };
}
export type RequestDelivery = ReturnType<typeof createRequestDelivery>;

async function requestIn(tx: Transaction, input: RequestDeliveryInput, cause: Cause): Promise<RequestOutcome> {
  // The existing delivery is read only after a cancellation (to tell the two apart);
  // otherwise the insert finds it (ON CONFLICT DO NOTHING) without a read before it.
  const cancelled = await isRentalCancelled(tx, input.rentalId);
  const decision = shouldRequest({ existing: cancelled ? await findDeliveryByRental(tx, input.rentalId) : undefined, cancelled });
  if (decision !== "create") return decision;
  const created = await insertPendingDelivery(tx, input, new Date().toISOString());
  if (!created) return "exists";
  await appendToOutbox(tx, toEnvelopes([{ type: "ConfirmationRequested", delivery: created }], cause));
  return "created";
}
