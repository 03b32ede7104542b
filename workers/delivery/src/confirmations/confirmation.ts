/**
 * The manager's confirmation request, free of any framework. One request per paid rental;
 * a cancelled rental never gets (or keeps) a live one, whatever order the events come in.
 */

export type ConfirmationStatus = "PendingConfirmation" | "Confirmed" | "Cancelled";

export interface Confirmation {
  id: number;
  rentalId: number;
  paymentId: number;
  carId: string | null;
  rentHour: number;
  status: ConfirmationStatus;
  createdAt: string;
  updatedAt: string;
}

/** Whether a PaymentApproved should create a request, given what delivery knows. */
export function shouldRequest(known: { existing?: Confirmation; cancelled: boolean }): "create" | "exists" | "cancelled" {
  if (known.existing) return "exists";
  if (known.cancelled) return "cancelled";
  return "create";
}

export type ConfirmOutcome =
  | { kind: "confirmed"; confirmation: Confirmation }
  | { kind: "already"; confirmation: Confirmation }
  | { kind: "cancelled"; confirmation: Confirmation };

/** The manager confirms: Pending → Confirmed; a repeat changes nothing; a cancelled one refuses. */
export function confirm(c: Confirmation, now: string): ConfirmOutcome {
  switch (c.status) {
    case "PendingConfirmation":
      return { kind: "confirmed", confirmation: { ...c, status: "Confirmed", updatedAt: now } };
    case "Confirmed":
      return { kind: "already", confirmation: c };
    case "Cancelled":
      return { kind: "cancelled", confirmation: c };
    default: {
      const _exhaustive: never = c.status;
      return _exhaustive;
    }
  }
}

/** The rental was cancelled: a live request (pending or confirmed) becomes Cancelled. */
export function cancel(c: Confirmation, now: string): Confirmation | undefined {
  return c.status === "Cancelled" ? undefined : { ...c, status: "Cancelled", updatedAt: now };
}
