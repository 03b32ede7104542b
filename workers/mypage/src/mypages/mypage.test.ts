import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { confirmationStatusOf, empty, evolve, paymentStatusOf, statusOf, type Mypage } from "./mypage.ts";
import { present } from "./mypage-resource.ts";

const RENTAL = 1;
let clock = 0;
function ev<T extends DomainEvent["type"]>(type: T, data: Extract<DomainEvent, { type: T }>["data"]): DomainEvent {
  clock++;
  return {
    id: `e${clock}`, type, version: 1, occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString(),
    source: "test", aggregateId: String(RENTAL), correlationId: "c", causationId: null, data,
  } as DomainEvent;
}

const base = { rentalId: RENTAL, carId: "aaa", rentHour: 3, price: 3000, customerId: "c-1" };
const rented = () => ev("Rented", { ...base, paymentId: 7 });
const approved = () => ev("PaymentApproved", { paymentId: 7, rentalId: RENTAL, amount: 3000, rentHour: 3, carId: "aaa" });
const requested = () => ev("ConfirmationRequested", { deliveryId: 5, rentalId: RENTAL, carId: "aaa", rentHour: 3 });
const confirmed = () => ev("ReservationConfirmed", { deliveryId: 5, rentalId: RENTAL, confirmedBy: "m-1" });
const cancelled = (reason: "customer" | "payment-declined" | "payment-unavailable", paymentId: number | null = 7) =>
  ev("RentalCancelled", { ...base, paymentId, reason, ...(reason === "customer" ? { cancelledBy: "c-1" } : {}) });
const refunded = () => ev("PaymentRefunded", { paymentId: 7, rentalId: RENTAL, amount: 3000 });
const requestCancelled = () => ev("ConfirmationCancelled", { deliveryId: 5, rentalId: RENTAL });

/** Every history the saga can produce for one rental, in the order it happens. */
const scenarios: Record<string, () => DomainEvent[]> = {
  "reserved, awaiting the manager": () => [approved(), rented(), requested()],
  "confirmed by the manager": () => [approved(), rented(), requested(), confirmed()],
  "cancelled by the customer while awaiting": () => [approved(), rented(), requested(), cancelled("customer"), refunded(), requestCancelled()],
  "cancelled by the customer after confirmation": () =>
    [approved(), rented(), requested(), confirmed(), cancelled("customer"), refunded(), requestCancelled()],
  "cancelled before the request existed": () => [approved(), rented(), cancelled("customer"), refunded()],
  "declined": () => [cancelled("payment-declined", null)],
  "timed out, late charge refunded": () => [cancelled("payment-unavailable", null), approved(), requested(), refunded(), requestCancelled()],
};

const fold = (events: DomainEvent[]) => events.reduce(evolve, empty(RENTAL));
const seen = (v: Mypage) => present(v);

describe("mypage view", () => {
  test("a confirmed reservation reads Confirmed / Approved / Confirmed", () => {
    const v = fold(scenarios["confirmed by the manager"]!());
    expect([statusOf(v), paymentStatusOf(v), confirmationStatusOf(v)]).toEqual(["Confirmed", "Approved", "Confirmed"]);
  });

  test("the row names who acted: the manager who confirmed, the customer who cancelled", () => {
    expect(seen(fold(scenarios["confirmed by the manager"]!()))).toMatchObject({ confirmedBy: "m-1", cancelledBy: null });
    expect(seen(fold(scenarios["cancelled by the customer after confirmation"]!()))).toMatchObject({ confirmedBy: "m-1", cancelledBy: "c-1" });
    expect(seen(fold(scenarios["declined"]!()))).toMatchObject({ confirmedBy: null, cancelledBy: null });
    // A row folded before events named anyone shows nobody rather than failing.
    const older = { ...fold(scenarios["reserved, awaiting the manager"]!()) } as Mypage;
    delete older.cancelledBy;
    delete older.confirmedBy;
    expect(seen(older)).toMatchObject({ confirmedBy: null, cancelledBy: null });
  });

  test("a reservation awaiting the manager reads AwaitingConfirmation", () => {
    expect(statusOf(fold(scenarios["reserved, awaiting the manager"]!()))).toBe("AwaitingConfirmation");
  });

  test("a customer's cancellation reads Cancelled / Refunded / Cancelled with reason customer", () => {
    const v = present(fold(scenarios["cancelled by the customer after confirmation"]!()));
    expect(v).toMatchObject({ status: "Cancelled", paymentStatus: "Refunded", confirmationStatus: "Cancelled", cancelReason: "customer" });
  });

  test("a declined payment reads Cancelled / Declined with no confirmation", () => {
    const v = present(fold(scenarios.declined!()));
    expect(v).toMatchObject({ status: "Cancelled", paymentStatus: "Declined", confirmationStatus: null, carId: "aaa" });
  });

  test("whatever the order and however many duplicates, every history converges to the in-order view", () => {
    const histories = Object.entries(scenarios).map(([name, make]) => ({ name, events: make() }));
    fc.assert(
      fc.property(
        fc.constantFrom(...histories),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 24, maxLength: 24 }),
        ({ events }, dupes, keys) => {
          const delivered = [...events, ...dupes.map((i) => events[i % events.length]!)];
          const shuffled = delivered
            .map((e, i) => ({ e, k: keys[i % keys.length]! + i * 1e-9 }))
            .sort((a, b) => a.k - b.k)
            .map(({ e }) => e);
          expect(seen(fold(shuffled))).toEqual(seen(fold(events)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("a mypage row's links", () => {
  test("name the rental while it exists, and the delivery once there is one", () => {
    expect(Object.keys(present(fold([approved(), rented()]))._links).sort()).toEqual(["rental", "self"]);
    expect(present(fold(scenarios["confirmed by the manager"]!()))._links).toEqual({
      self: { href: "/mypages/1" }, rental: { href: "/rentals/1" }, delivery: { href: "/deliveries/5" },
    });
    // A declined rental is kept (Cancelled, payment-declined): it can still be read.
    expect(present(fold(scenarios.declined!()))._links.rental).toEqual({ href: "/rentals/1" });
  });

  test("no longer name a rental the customer's cancellation deleted", () => {
    expect(Object.keys(present(fold(scenarios["cancelled by the customer after confirmation"]!()))._links).sort()).toEqual(["delivery", "self"]);
  });
});
