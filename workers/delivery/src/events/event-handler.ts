import { handlerByType, type EventOf } from "@rentalnang/shared/bus/handler-by-type";
import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import { parseDomainEvent, windowOf } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { cancelDeliveryForRental } from "../deliveries/cancel-delivery.ts";
import type { ConfirmationQueue } from "../jobs/confirmation-queue.ts";
import type { JobData } from "../jobs/job-data.ts";

export const CONSUMER = "delivery";

/**
 * delivery reads payment's and rental's streams:
 * - PaymentApproved → the delivery is requested at once; a failed attempt becomes a BullMQ
 *   job (id = event id) that retries it;
 * - RentalCancelled → the delivery is cancelled, or never created if it does not exist yet.
 * Everything else is not in the map, so the consumer acks it without calling the handler.
 */
export function createEventHandler(deps: { db: Database; queue: Pick<ConfirmationQueue, "request" | "requestAll">; publishSoon: () => void }) {
  const { accepts, handle, handleParsed } = handlerByType({
    PaymentApproved: (event) => deps.queue.request(requestOf(event)),
    RentalCancelled: async (event, envelope) => {
      const wrote = await handleOnce(deps.db, CONSUMER, envelope, (tx) =>
        cancelDeliveryForRental(tx, event.data.rentalId, { correlationId: event.correlationId, causationId: event.id }),
      );
      if (wrote) deps.publishSoon();
    },
  });

  return {
    accepts,
    handle,
    /**
     * A batch in stream order, each envelope parsed once (a poison entry throws before
     * anything is done): each run of consecutive approvals is requested together, in one
     * transaction (what delivery reads under load is approvals only, so one run), and is
     * made before the event after it, which goes to its function on its own.
     */
    async handleMany(envelopes: Envelope[]): Promise<void> {
      const events = envelopes.map(parseDomainEvent);
      let approvals: JobData[] = [];
      for (const [i, event] of events.entries()) {
        if (event.type === "PaymentApproved") {
          approvals.push(requestOf(event));
          continue;
        }
        if (approvals.length > 0) await deps.queue.requestAll(approvals);
        approvals = [];
        await handleParsed(event, envelopes[i]!);
      }
      if (approvals.length > 0) await deps.queue.requestAll(approvals);
    },
  };
}

/** The request a PaymentApproved asks for; version 1 names no window, and gets a request without one. */
function requestOf(event: EventOf<"PaymentApproved">): JobData {
  const window = windowOf(event.data);
  return {
    eventId: event.id,
    correlationId: event.correlationId,
    rentalId: event.data.rentalId,
    paymentId: event.data.paymentId,
    carId: event.data.carId,
    rentHour: event.data.rentHour,
    startAt: window?.startAt ?? null,
    endAt: window?.endAt ?? null,
  };
}
