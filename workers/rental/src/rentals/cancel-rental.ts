import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { CannotCancel, cancelByCustomer, type Rental } from "./rental.ts";
import { toEnvelopes } from "./rental-events.ts";
import { findRental, saveRental } from "./rental-store.ts";

export type CancelResult =
  | { kind: "cancelled"; rental: Rental }
  | { kind: "not-found" }
  | { kind: "not-cancellable"; rental: Rental; reason: string };

export interface CancelRentalDeps {
  db: Database;
  publishSoon: () => void;
  now: () => string;
}

/** Who cancels: `actor` as events name them (unknown in lab mode); a rental `mayCancel` refuses is as unknown to them as a missing one. */
export interface Canceller {
  actor?: string | undefined;
  mayCancel?: (rental: Rental) => boolean;
}

/**
 * The customer (or a manager) cancels: the rental is deleted and RentalCancelled, naming who
 * cancelled, undoes the rest of the saga. The rental is read once, in the cancel's own transaction.
 */
export function createCancelRental(deps: CancelRentalDeps) {
  return async function cancelRental(id: number, cause: Cause, by: Canceller = {}): Promise<CancelResult> {
    const result = await deps.db.write(async (tx): Promise<CancelResult> => {
      const rental = await findRental(tx, id);
      if (!rental || rental.deletedAt || (by.mayCancel && !by.mayCancel(rental))) return { kind: "not-found" };
      try {
        const decision = cancelByCustomer(rental, deps.now());
        await saveRental(tx, decision.rental);
        await appendToOutbox(tx, toEnvelopes(decision.events, cause, by.actor));
        return { kind: "cancelled", rental: decision.rental };
      } catch (error) {
        if (error instanceof CannotCancel) return { kind: "not-cancellable", rental, reason: error.message };
        throw error;
      }
    });
    if (result.kind === "cancelled") deps.publishSoon();
    return result;
  };
}
export type CancelRental = ReturnType<typeof createCancelRental>;
