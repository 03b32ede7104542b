import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import { parseDomainEvent, windowOf, type EventType } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { cancelDeliveryForRental } from "../deliveries/cancel-delivery.ts";
import type { ConfirmationQueue } from "../jobs/confirmation-queue.ts";

export const CONSUMER = "delivery";
/** The types delivery acts on; the consumer acks the others without calling the handler. */
const ACCEPTS: readonly EventType[] = ["PaymentApproved", "RentalCancelled"];

/**
 * delivery reads payment's and rental's streams:
 * - PaymentApproved → the delivery is requested at once; a failed attempt becomes a BullMQ
 *   job (id = event id) that retries it;
 * - RentalCancelled → the delivery is cancelled, or never created if it does not exist yet.
 * Everything else is acked untouched.
 */
export function createEventHandler(deps: { db: Database; queue: ConfirmationQueue; publishSoon: () => void }) {
  return {
    accepts: ACCEPTS,
    async handle(envelope: Envelope): Promise<void> {
      if (!ACCEPTS.includes(envelope.type as EventType)) return;
      const event = parseDomainEvent(envelope);
      switch (event.type) {
        case "PaymentApproved": {
          // Version 1 names no window: the request is made all the same, without one.
          const window = windowOf(event.data);
          await deps.queue.request({
            eventId: event.id,
            correlationId: event.correlationId,
            rentalId: event.data.rentalId,
            paymentId: event.data.paymentId,
            carId: event.data.carId,
            rentHour: event.data.rentHour,
            startAt: window?.startAt ?? null,
            endAt: window?.endAt ?? null,
          });
          return;
        }
        case "RentalCancelled": {
          const wrote = await handleOnce(deps.db, CONSUMER, envelope, (tx) =>
            cancelDeliveryForRental(tx, event.data.rentalId, { correlationId: event.correlationId, causationId: event.id }),
          );
          if (wrote) deps.publishSoon();
          return;
        }
        default:
          return;
      }
    },
  };
}
