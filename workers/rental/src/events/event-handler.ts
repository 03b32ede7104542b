import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { parseDomainEvent, type EventType } from "@rentalnang/shared/events/catalog";
import type { Logger } from "@rentalnang/shared/log/logger";
import { confirmRental } from "../rentals/confirm-rental.ts";

export const CONSUMER = "rental";
/** The one type rental acts on; the consumer acks the others without calling the handler. */
const ACCEPTS: readonly EventType[] = ["ReservationConfirmed"];

/**
 * rental reads delivery's stream for ReservationConfirmed and moves the rental to Confirmed.
 * Other events there are not rental's business and are acked untouched.
 */
export function createEventHandler(deps: { db: Database; logger: Logger }) {
  return {
    accepts: ACCEPTS,
    async handle(envelope: Envelope): Promise<void> {
      const event = parseDomainEvent(envelope);
      if (event.type !== "ReservationConfirmed") return;
      await handleOnce(deps.db, CONSUMER, envelope, (tx) =>
        confirmRental(tx, event.data.rentalId, deps.logger.child({ eventId: event.id })),
      );
    },
  };
}
