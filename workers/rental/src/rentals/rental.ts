import type { CancelReason } from "@rentalnang/shared/events/catalog";

/**
 * The rental's rules, free of any framework: its events, its states, and what each command
 * or fact does to them. Events the rules cause are returned, never sent from here.
 */

export type RentalEvent =
  | { type: "Rented"; rental: Rental }
  | { type: "RentalCancelled"; rental: Rental };

/** rental's own lifecycle; mypage shows its own statuses, derived from the events. */
export type RentalStatus = "PaymentPending" | "Reserved" | "Confirmed" | "Cancelled";
export const rentalStatuses = ["PaymentPending", "Reserved", "Confirmed", "Cancelled"] as const satisfies readonly RentalStatus[];

export interface Rental {
  id: number;
  carId: string;
  rentHour: number;
  price: number;
  customerId: string | null;
  /** The car is held for [startAt, endAt) while the rental is live (PaymentPending, Reserved, Confirmed). */
  startAt: string;
  endAt: string;
  status: RentalStatus;
  paymentId: number | null;
  cancelReason: CancelReason | null;
  /** The manager confirmed (ReservationConfirmed seen), whatever our state was then. */
  managerConfirmed: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/** The answer of the payment call, as the rental sees it. */
export type PaymentOutcome =
  | { kind: "approved"; paymentId: number }
  | { kind: "declined"; detail: string; paymentId?: number }
  | { kind: "unavailable"; detail: string };

export interface Decision {
  rental: Rental;
  events: RentalEvent[];
}

/**
 * What a reservation came to, for the one who asked: reserved, or kept as Cancelled because
 * payment declined or could not be reached (then `retryAfter` seconds is worth waiting).
 */
export type Reservation =
  | { kind: "reserved"; rental: Rental }
  | { kind: "declined"; rental: Rental; detail?: string }
  | { kind: "unavailable"; rental: Rental; detail?: string; retryAfter: number };

/**
 * Settles a pending rental with its payment's outcome: approved reserves it, and a declined
 * or unavailable payment cancels it (so that any charge taken late is refunded). A rental no
 * longer pending (the stale-payment sweep got there first) is left as it is.
 */
export function settlePayment(rental: Rental, outcome: PaymentOutcome, now: string): Decision {
  if (rental.status !== "PaymentPending") return { rental, events: [] };
  switch (outcome.kind) {
    case "approved": {
      const next: Rental = {
        ...rental,
        status: rental.managerConfirmed ? "Confirmed" : "Reserved",
        paymentId: outcome.paymentId,
        updatedAt: now,
      };
      return { rental: next, events: [{ type: "Rented", rental: next }] };
    }
    case "declined":
      return cancel({ ...rental, paymentId: outcome.paymentId ?? null }, "payment-declined", now);
    case "unavailable":
      return cancel(rental, "payment-unavailable", now);
    default: {
      const _exhaustive: never = outcome;
      return _exhaustive;
    }
  }
}

/** A settled rental as its reservation's outcome; `payment` adds the payment's own words. */
export function reservationOf(rental: Rental, payment: PaymentOutcome | undefined, retryAfter: number): Reservation {
  if (rental.status === "Reserved" || rental.status === "Confirmed") return { kind: "reserved", rental };
  if (rental.cancelReason === "payment-declined") {
    return { kind: "declined", rental, detail: payment?.kind === "declined" ? payment.detail : undefined };
  }
  return { kind: "unavailable", rental, detail: payment?.kind === "unavailable" ? payment.detail : undefined, retryAfter };
}

export class CannotCancel extends Error {
  override name = "CannotCancel";
}

/**
 * The customer cancels: allowed while Reserved or Confirmed and until its window starts (the
 * car is then out); the rental is deleted, and its window is free again.
 */
export function cancelByCustomer(rental: Rental, now: string): Decision {
  if (rental.status !== "Reserved" && rental.status !== "Confirmed") {
    throw new CannotCancel(
      rental.status === "PaymentPending"
        ? `rental ${rental.id} is still waiting for its payment`
        : `rental ${rental.id} is already cancelled (${rental.cancelReason})`,
    );
  }
  if (Date.parse(rental.startAt) <= Date.parse(now)) {
    throw new CannotCancel(`rental ${rental.id} has already started (at ${rental.startAt}); it can no longer be cancelled`);
  }
  const decision = cancel(rental, "customer", now);
  return { ...decision, rental: { ...decision.rental, deletedAt: now } };
}

/**
 * The manager confirmed. Reserved moves to Confirmed; a rental still pending remembers it
 * for when its payment settles; a cancelled or deleted one ignores it (delivery cancels the
 * delivery when it sees RentalCancelled).
 */
export function confirmByManager(rental: Rental, now: string): Rental {
  if (rental.managerConfirmed && rental.status !== "Reserved") return rental;
  switch (rental.status) {
    case "Reserved":
      return { ...rental, status: "Confirmed", managerConfirmed: true, updatedAt: now };
    case "PaymentPending":
      return { ...rental, managerConfirmed: true, updatedAt: now };
    case "Confirmed":
    case "Cancelled":
      return rental;
    default: {
      const _exhaustive: never = rental.status;
      return _exhaustive;
    }
  }
}

function cancel(rental: Rental, reason: CancelReason, now: string): Decision {
  const next: Rental = { ...rental, status: "Cancelled", cancelReason: reason, updatedAt: now };
  return { rental: next, events: [{ type: "RentalCancelled", rental: next }] };
}
