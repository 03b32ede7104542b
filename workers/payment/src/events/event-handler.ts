import { handlerByType } from "@rentalnang/shared/bus/handler-by-type";
import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import { refundCancelledRental } from "../payments/refund-payment.ts";

export const CONSUMER = "payment";

/**
 * payment reads rental's stream for RentalCancelled, which refunds the rental's payment; the
 * other types are not in the map, so the consumer acks them without calling the handler.
 */
export function createEventHandler(deps: { db: Database; publishSoon: () => void }) {
  return handlerByType({
    RentalCancelled: async (event, envelope) => {
      const wrote = await handleOnce(deps.db, CONSUMER, envelope, (tx) =>
        refundCancelledRental(tx, event.data.rentalId, event.data.reason, { correlationId: event.correlationId, causationId: event.id }),
      );
      if (wrote) deps.publishSoon();
    },
  });
}
