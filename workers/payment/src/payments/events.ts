import type { Envelope } from "@rentalnang/shared/events/envelope";
import { currentVersion, type PaymentApproved, type PaymentRefunded } from "@rentalnang/shared/events/catalog";
import { envelopeFor, type Cause } from "@rentalnang/shared/db/outbox";
import type { Payment } from "./payment.ts";

export const SOURCE = "payment";

export function paymentApproved(p: Payment, cause: Cause): Envelope {
  const data: PaymentApproved = { paymentId: p.id, rentalId: p.rentalId, amount: p.amount, rentHour: p.rentHour, carId: p.carId };
  return envelopeFor({ type: "PaymentApproved", version: currentVersion.PaymentApproved, aggregateId: String(p.rentalId), data }, SOURCE, cause);
}

export function paymentRefunded(p: Payment, cause: Cause): Envelope {
  const data: PaymentRefunded = { paymentId: p.id, rentalId: p.rentalId, amount: p.amount };
  return envelopeFor({ type: "PaymentRefunded", version: currentVersion.PaymentRefunded, aggregateId: String(p.rentalId), data }, SOURCE, cause);
}
