import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { Conflict, NotFound } from "@rentalnang/shared/http/problem";
import { cancel, confirm, shouldRequest, type Confirmation } from "./confirmation.ts";
import { findById, findByRental, insertPending, isCancelled, recordCancelled, saveStatus } from "./confirmation-store.ts";
import { confirmationEvent } from "./events.ts";

export interface RequestInput {
  rentalId: number;
  paymentId: number;
  carId: string | null;
  rentHour: number;
}

/** Delivery's use cases; each state change commits with its event (outbox). */
export function createConfirmations(db: Database, onCommit: () => void) {
  const now = () => new Date().toISOString();
  return {
    /** The job's work: create the request once, unless the rental was cancelled first. */
    async request(input: RequestInput, cause: Cause): Promise<"created" | "exists" | "cancelled"> {
      const outcome = await db.write(async (tx) => {
        const decision = shouldRequest({ existing: await findByRental(tx, input.rentalId), cancelled: await isCancelled(tx, input.rentalId) });
        if (decision !== "create") return decision;
        const created = await insertPending(tx, input, now());
        await appendToOutbox(tx, [confirmationEvent("ConfirmationRequested", created, cause)]);
        return "created" as const;
      });
      if (outcome === "created") onCommit();
      return outcome;
    },

    /** POST /deliveries/{id}/confirm. */
    async confirm(id: number, cause: Cause): Promise<Confirmation> {
      const result = await db.write(async (tx) => {
        const current = await findById(tx, id);
        if (!current) throw new NotFound(`There is no confirmation request ${id}.`);
        const outcome = confirm(current, now());
        if (outcome.kind === "cancelled") throw new Conflict(`Request ${id} was cancelled with its rental.`, { deliveryId: id });
        if (outcome.kind === "confirmed") {
          await saveStatus(tx, outcome.confirmation);
          await appendToOutbox(tx, [confirmationEvent("ReservationConfirmed", outcome.confirmation, cause)]);
        }
        return outcome;
      });
      if (result.kind === "confirmed") onCommit();
      return result.confirmation;
    },
  };
}
export type Confirmations = ReturnType<typeof createConfirmations>;

/**
 * RentalCancelled, inside the handler's inbox transaction: remember the cancellation (so a
 * request whose job runs later is never created) and cancel a live request.
 */
export async function cancelForRental(
  tx: Parameters<Parameters<Database["write"]>[0]>[0],
  rentalId: number,
  cause: Cause,
) {
  const at = new Date().toISOString();
  await recordCancelled(tx, rentalId, at);
  const existing = await findByRental(tx, rentalId);
  const cancelled = existing && cancel(existing, at);
  if (!cancelled) return [];
  await saveStatus(tx, cancelled);
  return [confirmationEvent("ConfirmationCancelled", cancelled, cause)];
}
