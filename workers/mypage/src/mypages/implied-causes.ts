import type { DomainEvent } from "@rentalnang/shared/events/catalog";

/**
 * Whether `cause` must come before `effect` in one rental's history although no causationId
 * says so. Each rule is an order the saga itself enforces; the envelopes cannot name it
 * because both events answer the same request (causationId null, one correlationId), or
 * because the effect's named cause is another event:
 * - Rented is recorded by rental only once payment approved the charge, within the same
 *   POST /rentals (`workers/rental/src/rentals/reserve-rental.ts`): the PaymentApproved of
 *   its paymentId came first, whatever the two services' clocks say;
 * - a person cancels a reservation that exists: a RentalCancelled for reason "customer"
 *   comes after Rented;
 * - only an approved payment is refunded: PaymentRefunded after the PaymentApproved of its paymentId;
 * - a manager confirms, and a cancellation withdraws, a request that exists: ReservationConfirmed
 *   and ConfirmationCancelled after the ConfirmationRequested of their deliveryId.
 */
export function impliedCause(cause: DomainEvent, effect: DomainEvent): boolean {
  switch (effect.type) {
    case "Rented":
    case "PaymentRefunded":
      return cause.type === "PaymentApproved" && cause.data.paymentId === effect.data.paymentId;
    case "RentalCancelled":
      return effect.data.reason === "customer" && cause.type === "Rented";
    case "ReservationConfirmed":
    case "ConfirmationCancelled":
      return cause.type === "ConfirmationRequested" && cause.data.deliveryId === effect.data.deliveryId;
    case "PaymentApproved":
    case "ConfirmationRequested":
      return false;
    default: {
      const _exhaustive: never = effect;
      return _exhaustive;
    }
  }
}
