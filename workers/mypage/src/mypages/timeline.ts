import { z } from "@hono/zod-openapi";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { impliedCause } from "./implied-causes.ts";

/** One step of a reservation's timeline as the API shows it. */
export const TimelineItem = z
  .object({
    eventId: z.string(),
    type: z.string(),
    /** The service that published it. */
    source: z.string(),
    occurredAt: z.string(),
    /** The event (or request) that caused it, when known. */
    causationId: z.string().nullable(),
    correlationId: z.string(),
    /** A short sentence saying what happened. */
    summary: z.string(),
  })
  .openapi("TimelineItem");
export const Timeline = z.object({ items: z.array(TimelineItem) }).openapi("Timeline");
export type Timeline = z.infer<typeof Timeline>;

/**
 * The events of one reservation in the order they happened: by `occurredAt`, then by id (a
 * stable key: ids grow within each process), except that an event always comes after its
 * causes, those its causationId names and those the saga implies (implied-causes.ts). So a
 * tie on `occurredAt` is broken by causation, and a cause stamped later than its effect (the
 * services' clocks disagree) is moved to just before that effect; the rest keeps its order.
 * The events come from the log as a set: the order they arrived in, or were refolded in by a
 * rebuild, plays no part.
 */
export function causalOrder(events: readonly DomainEvent[]): DomainEvent[] {
  const sorted = [...events].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
  const causesOf = (e: DomainEvent) => sorted.filter((c) => c !== e && (c.id === e.causationId || impliedCause(c, e)));
  const placed = new Set<string>();
  const out: DomainEvent[] = [];
  const place = (e: DomainEvent, visiting: Set<string>) => {
    if (placed.has(e.id) || visiting.has(e.id)) return; // visiting: a cycle, which only corrupt data could make
    visiting.add(e.id);
    for (const cause of causesOf(e)) place(cause, visiting);
    placed.add(e.id);
    out.push(e);
  };
  for (const e of sorted) place(e, new Set());
  return out;
}

const won = (n: number) => `${n.toLocaleString("en-US")} won`;

/** A short English sentence per event type. */
export function summaryOf(e: DomainEvent): string {
  switch (e.type) {
    case "Rented":
      return `Car ${e.data.carId} reserved for ${e.data.rentHour} h at ${won(e.data.price)}.`;
    case "RentalCancelled":
      if (e.data.reason === "payment-declined") return "Reservation cancelled: the payment was declined.";
      if (e.data.reason === "payment-unavailable") return "Reservation cancelled: the payment service did not answer in time.";
      return `Reservation cancelled by ${e.data.cancelledBy ?? "the customer"}.`;
    case "PaymentApproved":
      return `Payment ${e.data.paymentId} of ${won(e.data.amount)} approved.`;
    case "PaymentRefunded":
      return `Payment ${e.data.paymentId} refunded (${won(e.data.amount)}).`;
    case "ConfirmationRequested":
      return `Confirmation requested from a manager (delivery ${e.data.deliveryId}).`;
    case "ReservationConfirmed":
      return e.data.confirmedBy ? `Confirmed by manager ${e.data.confirmedBy}.` : "Confirmed by a manager.";
    case "ConfirmationCancelled":
      return `Confirmation request ${e.data.deliveryId} withdrawn.`;
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}

export function timelineOf(events: readonly DomainEvent[]): Timeline {
  return {
    items: causalOrder(events).map((e) => ({
      eventId: e.id,
      type: e.type,
      source: e.source,
      occurredAt: e.occurredAt,
      causationId: e.causationId,
      correlationId: e.correlationId,
      summary: summaryOf(e),
    })),
  };
}
