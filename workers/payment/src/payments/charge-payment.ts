import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { priceOf } from "@rentalnang/shared/domain/tariff";
import { decideCharge, type ChargeCommand, type Payment } from "./payment.ts";
import { toEnvelopes } from "./payment-events.ts";
import { findCancelledRental, findPaymentByRental, insertPayment } from "./payment-store.ts";

/** A charge as a caller asks for it: without `amount`, the rental's price is charged. */
export type ChargeRequest = Omit<ChargeCommand, "amount"> & { amount?: number | undefined };

export type ChargeResult =
  | { kind: "approved"; payment: Payment; repeat: boolean }
  | { kind: "declined"; payment: Payment }
  | { kind: "refused"; reason: string };

export interface ChargePaymentDeps {
  db: Database;
  limit: number;
  ratePerHour: number;
  /** Called after every commit that wrote outbox rows. */
  publishSoon: () => void;
  /**
   * Test-only: the answer comes this late, after the charge was taken, as from a slow
   * payment provider (FAULT_PAYMENT_DELAY_MS).
   */
  delayMs?: number;
}

/** Takes the payment for a rental, once: the decision and its event commit together. */
export function createChargePayment(deps: ChargePaymentDeps) {
  return async function chargePayment(request: ChargeRequest, cause: Cause): Promise<ChargeResult> {
    const cmd: ChargeCommand = { ...request, amount: request.amount ?? priceOf(request.rentHour, deps.ratePerHour) };
    const result = await deps.db.write(async (tx): Promise<ChargeResult> => {
      // The payment is read first only after a cancellation (an existing one still answers);
      // otherwise the insert finds it (ON CONFLICT DO NOTHING) without a read before it.
      const cancelled = await findCancelledRental(tx, cmd.rentalId);
      const payment = cancelled ? await findPaymentByRental(tx, cmd.rentalId) : undefined;
      const decision = decideCharge(cmd, { payment, cancelled }, deps.limit);
      if (decision.kind === "refused") return decision;
      if (decision.kind === "existing") return resultOf(decision.payment, true);
      const created = await insertPayment(tx, cmd, decision.status, new Date().toISOString());
      if (!created) return resultOf((await findPaymentByRental(tx, cmd.rentalId))!, true);
      if (created.status === "Approved") await appendToOutbox(tx, toEnvelopes([{ type: "PaymentApproved", payment: created }], cause));
      return resultOf(created, false);
    });
    if (result.kind === "approved" && !result.repeat) deps.publishSoon();
    if (deps.delayMs) await Bun.sleep(deps.delayMs);
    return result;
  };
}
export type ChargePayment = ReturnType<typeof createChargePayment>;

function resultOf(payment: Payment, repeat: boolean): ChargeResult {
  return payment.status === "Declined" ? { kind: "declined", payment } : { kind: "approved", payment, repeat };
}
