import type { DeliveryStatus, PaymentStatus } from "@rentalnang/shared/domain/statuses";
import { windowOf, type CancelReason, type DomainEvent } from "@rentalnang/shared/events/catalog";

/**
 * The customer's view of one rental, folded from every event of the saga.
 *
 * The view records facts ("payment was approved", "the request was cancelled"), each of
 * which only ever turns true, and derives the statuses from them. Merging a fact is
 * commutative, associative and idempotent, so the view converges whatever the order in
 * which events arrive and however often each arrives. No inbox is needed.
 */

export interface Mypage {
  rentalId: number;
  carId: string | null;
  rentHour: number | null;
  price: number | null;
  customerId: string | null;
  /**
   * The reserved window, from the first event that names it (version 2 of Rented,
   * RentalCancelled, PaymentApproved); absent from rows folded before events named it.
   */
  startAt?: string | null;
  endAt?: string | null;
  paymentId: number | null;
  deliveryId: number | null;
  reserved: boolean;
  paymentApproved: boolean;
  paymentRefunded: boolean;
  confirmationRequested: boolean;
  confirmed: boolean;
  confirmationCancelled: boolean;
  cancelled: boolean;
  cancelReason: CancelReason | null;
  /**
   * Who cancelled and which manager confirmed, when the events say (absent from rows folded
   * before events named them, until a rebuild refolds them).
   */
  cancelledBy?: string | null;
  confirmedBy?: string | null;
  /** The latest occurredAt among the events folded in. */
  updatedAt: string;
}

/** mypage's own summary of the rental; the payment's and the delivery's are theirs, as they name them. */
export const mypageStatuses = ["Reserved", "AwaitingConfirmation", "Confirmed", "Cancelled"] as const;
export type MypageStatus = (typeof mypageStatuses)[number];

export function empty(rentalId: number): Mypage {
  return {
    rentalId, carId: null, rentHour: null, price: null, customerId: null, startAt: null, endAt: null, paymentId: null, deliveryId: null,
    reserved: false, paymentApproved: false, paymentRefunded: false, confirmationRequested: false,
    confirmed: false, confirmationCancelled: false, cancelled: false, cancelReason: null, cancelledBy: null, confirmedBy: null, updatedAt: "",
  };
}

/** The rental an event is about. */
export const rentalIdOf = (event: DomainEvent) => event.data.rentalId;

export function evolve(view: Mypage, event: DomainEvent): Mypage {
  // Every event of one rental names the same window, if any: the first one that does sets it.
  const window = view.startAt ? null : windowOf(event.data);
  const v: Mypage = {
    ...view,
    ...(window ?? {}),
    updatedAt: event.occurredAt > view.updatedAt ? event.occurredAt : view.updatedAt,
  };
  switch (event.type) {
    case "Rented":
      return { ...v, ...details(v, event.data), paymentId: v.paymentId ?? event.data.paymentId, reserved: true };
    case "RentalCancelled":
      return {
        ...v,
        ...details(v, event.data),
        paymentId: v.paymentId ?? event.data.paymentId,
        cancelled: true,
        cancelReason: v.cancelReason ?? event.data.reason,
        cancelledBy: v.cancelledBy ?? event.data.cancelledBy ?? null,
      };
    case "PaymentApproved":
      return {
        ...v,
        carId: v.carId ?? event.data.carId,
        rentHour: v.rentHour ?? event.data.rentHour,
        price: v.price ?? event.data.amount,
        paymentId: v.paymentId ?? event.data.paymentId,
        paymentApproved: true,
      };
    case "PaymentRefunded":
      return { ...v, paymentId: v.paymentId ?? event.data.paymentId, paymentApproved: true, paymentRefunded: true };
    case "ConfirmationRequested":
      return {
        ...v,
        carId: v.carId ?? event.data.carId,
        rentHour: v.rentHour ?? event.data.rentHour,
        deliveryId: v.deliveryId ?? event.data.deliveryId,
        confirmationRequested: true,
      };
    case "ReservationConfirmed":
      return {
        ...v,
        deliveryId: v.deliveryId ?? event.data.deliveryId,
        confirmationRequested: true,
        confirmed: true,
        confirmedBy: v.confirmedBy ?? event.data.confirmedBy ?? null,
      };
    case "ConfirmationCancelled":
      return { ...v, deliveryId: v.deliveryId ?? event.data.deliveryId, confirmationRequested: true, confirmationCancelled: true };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function details(v: Mypage, d: { carId: string; rentHour: number; price: number; customerId: string | null }) {
  return {
    carId: v.carId ?? d.carId,
    rentHour: v.rentHour ?? d.rentHour,
    price: v.price ?? d.price,
    customerId: v.customerId ?? d.customerId,
  };
}

export function statusOf(v: Mypage): MypageStatus {
  if (v.cancelled) return "Cancelled";
  if (v.confirmed) return "Confirmed";
  if (v.confirmationRequested) return "AwaitingConfirmation";
  return "Reserved";
}

export function paymentStatusOf(v: Mypage): PaymentStatus | null {
  if (v.paymentRefunded) return "Refunded";
  if (v.paymentApproved) return "Approved";
  if (v.cancelReason === "payment-declined") return "Declined";
  return null;
}

export function confirmationStatusOf(v: Mypage): DeliveryStatus | null {
  if (v.confirmationCancelled) return "Cancelled";
  if (v.confirmed) return "Confirmed";
  if (v.confirmationRequested) return "PendingConfirmation";
  return null;
}
