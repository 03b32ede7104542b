import type { Envelope } from "@rentalnang/shared/events/envelope";
import {
  currentVersion, type ConfirmationCancelled, type ConfirmationRequested, type ReservationConfirmed,
} from "@rentalnang/shared/events/catalog";
import { envelopeFor, type Cause } from "@rentalnang/shared/db/outbox";
import type { DeliveryEvent } from "./delivery.ts";

export const SOURCE = "delivery";

/** The rules' events as envelopes for the outbox; `actor` is the manager who confirmed, when known. */
export function toEnvelopes(events: DeliveryEvent[], cause: Cause, actor?: string): Envelope[] {
  return events.map((e) => {
    const d = e.delivery;
    const aggregateId = String(d.rentalId);
    switch (e.type) {
      case "ConfirmationRequested": {
        const data: ConfirmationRequested = { deliveryId: d.id, rentalId: d.rentalId, carId: d.carId, rentHour: d.rentHour };
        return envelopeFor({ type: e.type, version: currentVersion[e.type], aggregateId, data }, SOURCE, cause);
      }
      case "ReservationConfirmed": {
        const data: ReservationConfirmed = { deliveryId: d.id, rentalId: d.rentalId, ...(actor ? { confirmedBy: actor } : {}) };
        return envelopeFor({ type: e.type, version: currentVersion[e.type], aggregateId, data }, SOURCE, cause);
      }
      case "ConfirmationCancelled": {
        const data: ConfirmationCancelled = { deliveryId: d.id, rentalId: d.rentalId };
        return envelopeFor({ type: e.type, version: currentVersion[e.type], aggregateId, data }, SOURCE, cause);
      }
      default: {
        const _exhaustive: never = e;
        return _exhaustive;
      }
    }
  });
}
