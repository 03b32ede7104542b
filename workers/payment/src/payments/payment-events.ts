import type { Envelope } from "@rentalnang/shared/events/envelope";
import { currentVersion, type PaymentApprovedV2, type PaymentRefunded } from "@rentalnang/shared/events/catalog";
import { envelopeFor, type Cause } from "@rentalnang/shared/db/outbox";
import type { PaymentEvent } from "./payment.ts";

export const SOURCE = "payment";

/** The rules' events as envelopes for the outbox. */
export function toEnvelopes(events: PaymentEvent[], cause: Cause): Envelope[] {
  return events.map((e) => {
    const p = e.payment;
    const aggregateId = String(p.rentalId);
    switch (e.type) {
      case "PaymentApproved": {
        const data: PaymentApprovedV2 = {
          paymentId: p.id, rentalId: p.rentalId, amount: p.amount, rentHour: p.rentHour, carId: p.carId, startAt: p.startAt, endAt: p.endAt,
        };
        return envelopeFor({ type: e.type, version: currentVersion.PaymentApproved, aggregateId, data }, SOURCE, cause);
      }
      case "PaymentRefunded": {
        const data: PaymentRefunded = { paymentId: p.id, rentalId: p.rentalId, amount: p.amount };
        return envelopeFor({ type: e.type, version: currentVersion.PaymentRefunded, aggregateId, data }, SOURCE, cause);
      }
      default: {
        const _exhaustive: never = e;
        return _exhaustive;
      }
    }
  });
}
