import type { Envelope } from "@rentalnang/shared/events/envelope";
import { currentVersion, type RentalCancelledV2, type RentedV2 } from "@rentalnang/shared/events/catalog";
import { envelopeFor, type Cause } from "@rentalnang/shared/db/outbox";
import type { RentalEvent } from "./rental.ts";

export const SOURCE = "rental";

/** The rules' events as envelopes for the outbox; `actor` is who cancelled, when someone did. */
export function toEnvelopes(events: RentalEvent[], cause: Cause, actor?: string): Envelope[] {
  return events.map((e) => {
    const r = e.rental;
    const common = { rentalId: r.id, carId: r.carId, rentHour: r.rentHour, price: r.price, customerId: r.customerId, startAt: r.startAt, endAt: r.endAt };
    switch (e.type) {
      case "Rented": {
        const data: RentedV2 = { ...common, paymentId: r.paymentId! };
        return envelopeFor({ type: e.type, version: currentVersion.Rented, aggregateId: String(r.id), data }, SOURCE, cause);
      }
      case "RentalCancelled": {
        const data: RentalCancelledV2 = { ...common, paymentId: r.paymentId, reason: r.cancelReason!, ...(actor ? { cancelledBy: actor } : {}) };
        return envelopeFor({ type: e.type, version: currentVersion.RentalCancelled, aggregateId: String(r.id), data }, SOURCE, cause);
      }
      default: {
        const _exhaustive: never = e;
        return _exhaustive;
      }
    }
  });
}
