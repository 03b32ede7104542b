import type { Transaction } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import { confirmByManager } from "./rental.ts";
import { findRental, saveRental } from "./rental-store.ts";

/**
 * ReservationConfirmed, inside the event's inbox transaction. A confirmation for an unknown
 * rental is logged and otherwise ignored (there is nothing to confirm).
 */
export async function confirmRental(tx: Transaction, rentalId: number, logger: Logger, now = new Date().toISOString()) {
  const rental = await findRental(tx, rentalId);
  if (!rental) {
    logger.warn({ rentalId }, "confirmation for an unknown rental; ignored");
    return;
  }
  const next = confirmByManager(rental, now);
  if (next !== rental) await saveRental(tx, next);
}
