import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import { parseDomainEvent, type EventType } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { refundCancelledRental } from "../payments/refund-payment.ts";

export const CONSUMER = "payment";
/** The one type payment acts on; the consumer acks the others without calling the handler. */
const ACCEPTS: readonly EventType[] = ["RentalCancelled"];

/** payment reads rental's stream for RentalCancelled, which refunds the rental's payment. */
export function createEventHandler(deps: { db: Database; publishSoon: () => void }) {
  return {
    accepts: ACCEPTS,
    async handle(envelope: Envelope): Promise<void> {
      const event = parseDomainEvent(envelope);
      if (event.type !== "RentalCancelled") return;
      const wrote = await handleOnce(deps.db, CONSUMER, envelope, (tx) =>
        refundCancelledRental(tx, event.data.rentalId, event.data.reason, { correlationId: event.correlationId, causationId: event.id }),
      );
      if (wrote) deps.publishSoon();
    },
  };
}
