import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { decideCharge, type ChargeCommand, type Payment } from "./payment.ts";
import { paymentApproved } from "./events.ts";
import { findByRental, findCancellation, insertPayment } from "./payment-store.ts";

export type ChargeResult =
  | { kind: "created"; payment: Payment }
  | { kind: "existing"; payment: Payment }
  | { kind: "refused"; reason: string };

export interface ChargesDeps {
  db: Database;
  limit: number;
  onCommit: () => void;
  /**
   * Test-only: the answer comes this late, after the charge was taken, as from a slow
   * payment provider (FAULT_PAYMENT_DELAY_MS).
   */
  delayMs?: number;
}

/** Takes the payment for a rental, once: the decision and its event commit together. */
export function createCharges(deps: ChargesDeps) {
  return async function charge(cmd: ChargeCommand, cause: Cause): Promise<ChargeResult> {
    const result = await deps.db.write(async (tx): Promise<ChargeResult> => {
      const [payment, cancelled] = await Promise.all([findByRental(tx, cmd.rentalId), findCancellation(tx, cmd.rentalId)]);
      const decision = decideCharge(cmd, { payment, cancelled }, deps.limit);
      if (decision.kind !== "new") return decision;
      const created = await insertPayment(tx, cmd, decision.status, new Date().toISOString());
      if (created.status === "Approved") await appendToOutbox(tx, [paymentApproved(created, cause)]);
      return { kind: "created", payment: created };
    });
    if (result.kind === "created") deps.onCommit();
    if (deps.delayMs) await Bun.sleep(deps.delayMs);
    return result;
  };
}
export type Charge = ReturnType<typeof createCharges>;
