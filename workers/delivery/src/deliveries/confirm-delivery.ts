import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { confirmByManager, type ConfirmOutcome } from "./delivery.ts";
import { toEnvelopes } from "./delivery-events.ts";
import { findDelivery, saveDelivery } from "./delivery-store.ts";

export type ConfirmResult = ConfirmOutcome | { kind: "not-found" };

/**
 * The manager confirms a delivery (POST /deliveries/{id}/confirm); a repeat changes nothing.
 * ReservationConfirmed names the manager (`actor`, unknown in lab mode).
 */
export function createConfirmDelivery(deps: { db: Database; publishSoon: () => void }) {
  return async function confirmDelivery(id: number, cause: Cause, actor?: string): Promise<ConfirmResult> {
    const result = await deps.db.write(async (tx): Promise<ConfirmResult> => {
      const current = await findDelivery(tx, id);
      if (!current) return { kind: "not-found" };
      const outcome = confirmByManager(current, new Date().toISOString());
      if (outcome.kind === "confirmed") {
        await saveDelivery(tx, outcome.delivery);
        await appendToOutbox(tx, toEnvelopes([{ type: "ReservationConfirmed", delivery: outcome.delivery }], cause, actor));
      }
      return outcome;
    });
    if (result.kind === "confirmed") deps.publishSoon();
    return result;
  };
}
export type ConfirmDelivery = ReturnType<typeof createConfirmDelivery>;
