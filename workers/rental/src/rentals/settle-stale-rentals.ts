import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox } from "@rentalnang/shared/db/outbox";
import type { Logger } from "@rentalnang/shared/log/logger";
import { settlePayment } from "./rental.ts";
import { toEnvelopes } from "./rental-events.ts";
import { findRental, saveRental } from "./rental-store.ts";

export interface SettleStaleRentalsDeps {
  db: Database;
  publishSoon: () => void;
  logger: Logger;
  now: () => string;
}

/**
 * Settles rentals left PaymentPending by a crash (or a call that outlived every deadline) as
 * payment-unavailable; their RentalCancelled refunds any charge. A client retrying such a
 * reservation with its Idempotency-Key is answered from the settled rental.
 */
export function createSettleStaleRentals(deps: SettleStaleRentalsDeps) {
  return async function settleStaleRentals(olderThan: string, ids: number[]): Promise<number> {
    let settled = 0;
    for (const id of ids) {
      const done = await deps.db.write(async (tx) => {
        const rental = await findRental(tx, id);
        if (rental?.status !== "PaymentPending" || rental.createdAt >= olderThan) return false;
        const decision = settlePayment(rental, { kind: "unavailable", detail: "payment never settled" }, deps.now());
        await saveRental(tx, decision.rental);
        await appendToOutbox(tx, toEnvelopes(decision.events, { correlationId: `stale-${id}` }));
        return true;
      });
      if (done) settled++;
    }
    if (settled > 0) {
      deps.publishSoon();
      deps.logger.warn({ settled }, "settled rentals whose payment never completed");
    }
    return settled;
  };
}
export type SettleStaleRentals = ReturnType<typeof createSettleStaleRentals>;
