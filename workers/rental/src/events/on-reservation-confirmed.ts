import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { parseDomainEvent } from "@rentalnang/shared/events/catalog";
import type { Logger } from "@rentalnang/shared/log/logger";
import { confirmByManager } from "../rentals/rental.ts";
import { findRental, saveRental } from "../rentals/rental-store.ts";

export const CONSUMER = "rental";

/**
 * rental reads delivery's stream for ReservationConfirmed and moves the rental to Confirmed.
 * Other events there are not rental's business and are acked untouched. A confirmation for
 * an unknown rental is recorded as handled and logged (nothing to confirm).
 */
export function createRentalEventHandler(db: Database, logger: Logger) {
  return async function handleRentalEvent(envelope: Envelope): Promise<void> {
    if (envelope.type !== "ReservationConfirmed") return;
    const event = parseDomainEvent(envelope);
    if (event.type !== "ReservationConfirmed") return;
    await handleOnce(db, CONSUMER, envelope, async (tx) => {
      const rental = await findRental(tx, event.data.rentalId);
      if (!rental) {
        logger.warn({ rentalId: event.data.rentalId, eventId: event.id }, "confirmation for an unknown rental; ignored");
        return;
      }
      const next = confirmByManager(rental, new Date().toISOString());
      if (next !== rental) await saveRental(tx, next);
    });
  };
}
