import type { DeliveryStatus } from "@rentalnang/shared/domain/statuses";

/**
 * A delivery: the manager's confirmation request for a paid rental, free of any framework.
 * One per paid rental; a cancelled rental never gets (or keeps) a live one, whatever order
 * the events come in.
 */

export type DeliveryEvent =
  | { type: "ConfirmationRequested"; delivery: Delivery }
  | { type: "ReservationConfirmed"; delivery: Delivery }
  | { type: "ConfirmationCancelled"; delivery: Delivery };

export interface Delivery {
  id: number;
  rentalId: number;
  paymentId: number;
  carId: string | null;
  rentHour: number;
  /** The window the car is reserved for; null when the payment's event did not name it (version 1). */
  startAt: string | null;
  endAt: string | null;
  status: DeliveryStatus;
  createdAt: string;
  updatedAt: string;
}

/** Whether a PaymentApproved should create a delivery, given what delivery knows. */
export function shouldRequest(known: { existing?: Delivery; cancelled: boolean }): "create" | "exists" | "cancelled" {
  if (known.existing) return "exists";
  if (known.cancelled) return "cancelled";
  return "create";
}

export type ConfirmOutcome =
  | { kind: "confirmed"; delivery: Delivery }
  | { kind: "already"; delivery: Delivery }
  | { kind: "cancelled"; delivery: Delivery };

/** The manager confirms: Pending → Confirmed; a repeat changes nothing; a cancelled one refuses. */
export function confirmByManager(d: Delivery, now: string): ConfirmOutcome {
  switch (d.status) {
    case "PendingConfirmation":
      return { kind: "confirmed", delivery: { ...d, status: "Confirmed", updatedAt: now } };
    case "Confirmed":
      return { kind: "already", delivery: d };
    case "Cancelled":
      return { kind: "cancelled", delivery: d };
    default: {
      const _exhaustive: never = d.status;
      return _exhaustive;
    }
  }
}

/** The rental was cancelled: a live delivery (pending or confirmed) becomes Cancelled. */
export function cancelWithRental(d: Delivery, now: string): Delivery | undefined {
  return d.status === "Cancelled" ? undefined : { ...d, status: "Cancelled", updatedAt: now };
}
