import { handlerByType } from "@rentalnang/shared/bus/handler-by-type";
import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import type { Logger } from "@rentalnang/shared/log/logger";
import { confirmRental } from "../rentals/confirm-rental.ts";

export const CONSUMER = "rental";

/**
 * rental reads delivery's stream for ReservationConfirmed and moves the rental to Confirmed.
 * Other events there are not rental's business: not in the map, so the consumer acks them
 * without calling the handler.
 */
export function createEventHandler(deps: { db: Database; logger: Logger }) {
  return handlerByType({
    ReservationConfirmed: async (event, envelope) => {
      await handleOnce(deps.db, CONSUMER, envelope, (tx) =>
        confirmRental(tx, event.data.rentalId, deps.logger.child({ eventId: event.id })),
      );
    },
  });
}
