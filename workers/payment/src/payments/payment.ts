import type { PaymentStatus } from "@rentalnang/shared/domain/statuses";

/**
 * Payment's rules, free of any framework. One payment per rental, ever: a repeat of the
 * charge returns it, and a rental cancelled first can never be charged afterwards.
 */

export type PaymentEvent =
  | { type: "PaymentApproved"; payment: Payment }
  | { type: "PaymentRefunded"; payment: Payment };

export interface Payment {
  id: number;
  rentalId: number;
  amount: number;
  rentHour: number;
  carId: string | null;
  customerId: string | null;
  /** The window paid for, [startAt, endAt); null when the caller did not say (v1). */
  startAt: string | null;
  endAt: string | null;
  status: PaymentStatus;
  createdAt: string;
  updatedAt: string;
}

export interface ChargeCommand {
  rentalId: number;
  rentHour: number;
  amount: number;
  carId: string | null;
  customerId: string | null;
  startAt: string | null;
  endAt: string | null;
}

export type ChargeDecision =
  | { kind: "existing"; payment: Payment }
  | { kind: "refused"; reason: string }
  | { kind: "new"; status: "Approved" | "Declined" };

/** What a charge does, given what payment already knows about the rental. */
export function decideCharge(
  cmd: ChargeCommand,
  known: { payment?: Payment; cancelled?: { reason: string } },
  limit: number,
): ChargeDecision {
  if (known.payment) return { kind: "existing", payment: known.payment };
  if (known.cancelled) return { kind: "refused", reason: `rental ${cmd.rentalId} was cancelled (${known.cancelled.reason})` };
  return { kind: "new", status: cmd.amount > limit ? "Declined" : "Approved" };
}

/**
 * The rental was cancelled: an approved payment is refunded; anything else stays as it is
 * (a declined one charged nothing, a refunded one is done).
 */
export function refund(payment: Payment, now: string): Payment | undefined {
  switch (payment.status) {
    case "Approved":
      return { ...payment, status: "Refunded", updatedAt: now };
    case "Declined":
    case "Refunded":
      return undefined;
    default: {
      const _exhaustive: never = payment.status;
      return _exhaustive;
    }
  }
}
