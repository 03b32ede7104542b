import type { Envelope } from "@rentalnang/shared/events/envelope";
import { currentVersion } from "@rentalnang/shared/events/catalog";
import { envelopeFor, type Cause } from "@rentalnang/shared/db/outbox";
import type { Confirmation } from "./confirmation.ts";

export const SOURCE = "delivery";

type DeliveryEvent = "ConfirmationRequested" | "ReservationConfirmed" | "ConfirmationCancelled";

export function confirmationEvent(type: DeliveryEvent, c: Confirmation, cause: Cause): Envelope {
  const data =
    type === "ConfirmationRequested"
      ? { deliveryId: c.id, rentalId: c.rentalId, carId: c.carId, rentHour: c.rentHour }
      : { deliveryId: c.id, rentalId: c.rentalId };
  return envelopeFor({ type, version: currentVersion[type], aggregateId: String(c.rentalId), data }, SOURCE, cause);
}
