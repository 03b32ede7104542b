import type { Transaction } from "@rentalnang/shared/db/database";
import type { Cause } from "@rentalnang/shared/db/outbox";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { refund } from "./payment.ts";
import { toEnvelopes } from "./payment-events.ts";
import { findPaymentByRental, recordCancelledRental, savePayment } from "./payment-store.ts";

/**
 * RentalCancelled, inside the event's inbox transaction: refund the rental's approved payment
 * and remember the cancellation, so that a charge arriving later (a call that outlived
 * rental's timeout) is refused instead of kept. Returns the events to publish.
 */
export async function refundCancelledRental(tx: Transaction, rentalId: number, reason: string, cause: Cause): Promise<Envelope[]> {
  const now = new Date().toISOString();
  await recordCancelledRental(tx, rentalId, reason, now);
  const payment = await findPaymentByRental(tx, rentalId);
  const refunded = payment && refund(payment, now);
  if (!refunded) return [];
  await savePayment(tx, refunded);
  return toEnvelopes([{ type: "PaymentRefunded", payment: refunded }], cause);
}
