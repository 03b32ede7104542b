import type { DomainEvent } from "@rentalnang/shared/events/catalog";

/**
 * Tests' saga histories: every sequence of events the saga can produce for one rental, in
 * the order it happens, as complete envelopes with unique ids and increasing times.
 */

let clock = 0;
function ev<T extends DomainEvent["type"]>(rentalId: number, type: T, data: Extract<DomainEvent, { type: T }>["data"]): DomainEvent {
  clock++;
  return {
    id: `e${clock}-${crypto.randomUUID().slice(0, 8)}`, type, version: 1,
    occurredAt: new Date(Date.UTC(2026, 0, 1) + clock * 1000).toISOString(),
    source: "test", aggregateId: String(rentalId), correlationId: `c${rentalId}`, causationId: null, data,
  } as DomainEvent;
}

function eventsOf(rentalId: number) {
  const base = { rentalId, carId: `car-${rentalId}`, rentHour: 3, price: 3000, customerId: `c-${rentalId % 3}` };
  const paymentId = rentalId + 100;
  const deliveryId = rentalId + 200;
  return {
    rented: () => ev(rentalId, "Rented", { ...base, paymentId }),
    approved: () => ev(rentalId, "PaymentApproved", { paymentId, rentalId, amount: 3000, rentHour: 3, carId: base.carId }),
    requested: () => ev(rentalId, "ConfirmationRequested", { deliveryId, rentalId, carId: base.carId, rentHour: 3 }),
    confirmed: () => ev(rentalId, "ReservationConfirmed", { deliveryId, rentalId }),
    cancelled: (reason: "customer" | "payment-declined" | "payment-unavailable", charged = true) =>
      ev(rentalId, "RentalCancelled", { ...base, paymentId: charged ? paymentId : null, reason }),
    refunded: () => ev(rentalId, "PaymentRefunded", { paymentId, rentalId, amount: 3000 }),
    requestCancelled: () => ev(rentalId, "ConfirmationCancelled", { deliveryId, rentalId }),
  };
}

type Events = ReturnType<typeof eventsOf>;

export const scenarios: Record<string, (e: Events) => DomainEvent[]> = {
  "reserved, awaiting the manager": (e) => [e.approved(), e.rented(), e.requested()],
  "confirmed by the manager": (e) => [e.approved(), e.rented(), e.requested(), e.confirmed()],
  "cancelled by the customer while awaiting": (e) =>
    [e.approved(), e.rented(), e.requested(), e.cancelled("customer"), e.refunded(), e.requestCancelled()],
  "cancelled by the customer after confirmation": (e) =>
    [e.approved(), e.rented(), e.requested(), e.confirmed(), e.cancelled("customer"), e.refunded(), e.requestCancelled()],
  "cancelled before the request existed": (e) => [e.approved(), e.rented(), e.cancelled("customer"), e.refunded()],
  "declined": (e) => [e.cancelled("payment-declined", false)],
  "timed out, late charge refunded": (e) =>
    [e.cancelled("payment-unavailable", false), e.approved(), e.requested(), e.refunded(), e.requestCancelled()],
};

export const scenarioNames = Object.keys(scenarios);

/** One rental's history under the named scenario, in the order the saga produces it. */
export const historyOf = (rentalId: number, scenario: string): DomainEvent[] => scenarios[scenario]!(eventsOf(rentalId));
