import type { PaymentStatus } from "@rentalnang/shared/domain/statuses";

/**
 * What the customer's pages read from the workers' answers (the workers' API documents are
 * the full story: GET /cars, POST /rentals, GET /mypages and its timeline).
 */

export interface Car {
  id: string;
  model: string;
  ratePerHour: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** mypage's statuses, in the order a reservation goes through them. */
export type ReservationStatus = "Reserved" | "AwaitingConfirmation" | "Confirmed" | "Cancelled";

/** A reservation as mypage shows it (the fields the page draws). */
export interface Reservation {
  rentalId: number;
  carId: string | null;
  rentHour: number | null;
  price: number | null;
  startAt: string | null;
  endAt: string | null;
  status: ReservationStatus;
  paymentStatus: PaymentStatus | null;
  cancelReason: string | null;
}

/** POST /rentals' 201. */
export interface Rental {
  id: number;
  carId: string;
  rentHour: number;
  price: number;
  startAt: string;
  endAt: string;
}

export interface TimelineItem {
  eventId: string;
  type: string;
  source: string;
  occurredAt: string;
  causationId: string | null;
}

/** A reservation just made, as mypage will show it once its first events arrive (read-your-writes). */
export const reservationOf = (r: Rental): Reservation => ({
  rentalId: r.id, carId: r.carId, rentHour: r.rentHour, price: r.price, startAt: r.startAt, endAt: r.endAt,
  status: "Reserved", paymentStatus: "Approved", cancelReason: null,
});
