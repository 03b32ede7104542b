import type { Database } from "@rentalnang/shared/db/database";
import { handleOnce } from "@rentalnang/shared/db/inbox";
import { parseDomainEvent } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { refund } from "../payments/payment.ts";
import { paymentRefunded } from "../payments/events.ts";
import { findByRental, recordCancellation, savePaymentStatus } from "../payments/payment-store.ts";

export const CONSUMER = "payment";

/**
 * payment reads rental's stream for RentalCancelled: it refunds the rental's approved payment
 * (PaymentRefunded) and remembers the cancellation, so a charge that arrives later (a call
 * that outlived rental's timeout) is refused instead of kept.
 */
export function createPaymentEventHandler(db: Database, onCommit: () => void) {
  return async function handlePaymentEvent(envelope: Envelope): Promise<void> {
    if (envelope.type !== "RentalCancelled") return;
    const event = parseDomainEvent(envelope);
    if (event.type !== "RentalCancelled") return;
    const wrote = await handleOnce(db, CONSUMER, envelope, async (tx) => {
      const now = new Date().toISOString();
      await recordCancellation(tx, event.data.rentalId, event.data.reason, now);
      const payment = await findByRental(tx, event.data.rentalId);
      const refunded = payment && refund(payment, now);
      if (!refunded) return;
      await savePaymentStatus(tx, refunded);
      return [paymentRefunded(refunded, { correlationId: event.correlationId, causationId: event.id })];
    });
    if (wrote) onCommit();
  };
}
