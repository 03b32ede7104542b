import type { Transaction } from "@rentalnang/shared/db/database";
import type { Cause } from "@rentalnang/shared/db/outbox";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { cancelWithRental } from "./delivery.ts";
import { toEnvelopes } from "./delivery-events.ts";
import { findDeliveryByRental, recordCancelledRental, saveDelivery } from "./delivery-store.ts";

/**
 * RentalCancelled, inside the event's inbox transaction: remember the cancellation (so a
 * delivery whose job runs later is never created) and cancel a live delivery. Returns the
 * events to publish.
 */
export async function cancelDeliveryForRental(tx: Transaction, rentalId: number, cause: Cause): Promise<Envelope[]> {
  const at = new Date().toISOString();
  await recordCancelledRental(tx, rentalId, at);
  const existing = await findDeliveryByRental(tx, rentalId);
  const cancelled = existing && cancelWithRental(existing, at);
  if (!cancelled) return [];
  await saveDelivery(tx, cancelled);
  return toEnvelopes([{ type: "ConfirmationCancelled", delivery: cancelled }], cause);
}
