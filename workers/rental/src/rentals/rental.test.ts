import { describe, expect, test } from "bun:test";
import { CannotCancel, cancelByCustomer, confirmByManager, reservationOf, settlePayment, type Rental } from "./rental.ts";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-01T00:00:01.000Z";
const START = "2026-01-01T01:00:00.000Z";

const pending = (over: Partial<Rental> = {}): Rental => ({
  id: 1, carId: "aaa", rentHour: 3, price: 3000, customerId: null, startAt: START, endAt: "2026-01-01T04:00:00.000Z", status: "PaymentPending",
  paymentId: null, cancelReason: null, managerConfirmed: false, createdAt: T0, updatedAt: T0, deletedAt: null, ...over,
});

describe("rental rules", () => {
  test("an approved payment reserves the rental and announces Rented", () => {
    const { rental, events } = settlePayment(pending(), { kind: "approved", paymentId: 7 }, T1);
    expect(rental).toMatchObject({ status: "Reserved", paymentId: 7, updatedAt: T1 });
    expect(events).toEqual([{ type: "Rented", rental }]);
  });

  test("a declined payment cancels the rental with reason payment-declined, keeping the declined payment's id", () => {
    const { rental, events } = settlePayment(pending(), { kind: "declined", detail: "over limit", paymentId: 8 }, T1);
    expect(rental).toMatchObject({ status: "Cancelled", cancelReason: "payment-declined", paymentId: 8 });
    expect(events.map((e) => e.type)).toEqual(["RentalCancelled"]);
  });

  test("an unavailable payment cancels the rental so that any late charge is refunded", () => {
    const { rental, events } = settlePayment(pending(), { kind: "unavailable", detail: "timeout" }, T1);
    expect(rental).toMatchObject({ status: "Cancelled", cancelReason: "payment-unavailable" });
    expect(events.map((e) => e.type)).toEqual(["RentalCancelled"]);
  });

  test("a rental already settled ignores a second outcome", () => {
    const settled = pending({ status: "Cancelled", cancelReason: "payment-unavailable" });
    expect(settlePayment(settled, { kind: "approved", paymentId: 1 }, T1)).toEqual({ rental: settled, events: [] });
  });

  test("a confirmation that overtook the payment is kept: the rental settles as Confirmed", () => {
    const early = confirmByManager(pending(), T1);
    expect(early.status).toBe("PaymentPending");
    expect(settlePayment(early, { kind: "approved", paymentId: 7 }, T1).rental.status).toBe("Confirmed");
  });

  test("the manager's confirmation moves Reserved to Confirmed, and repeating it changes nothing", () => {
    const confirmed = confirmByManager(pending({ status: "Reserved", paymentId: 7 }), T1);
    expect(confirmed.status).toBe("Confirmed");
    expect(confirmByManager(confirmed, T1)).toBe(confirmed);
  });

  test("a confirmation for a cancelled rental is ignored", () => {
    const cancelled = pending({ status: "Cancelled", cancelReason: "customer", deletedAt: T1 });
    expect(confirmByManager(cancelled, T1)).toBe(cancelled);
  });

  test("the customer may cancel while Reserved or Confirmed: deleted, with RentalCancelled(customer)", () => {
    for (const status of ["Reserved", "Confirmed"] as const) {
      const { rental, events } = cancelByCustomer(pending({ status, paymentId: 7 }), T1);
      expect(rental).toMatchObject({ status: "Cancelled", cancelReason: "customer", deletedAt: T1 });
      expect(events.map((e) => e.type)).toEqual(["RentalCancelled"]);
    }
  });

  test("a settled rental tells its caller reserved, declined or unavailable, with the payment's words", () => {
    const reserved = pending({ status: "Reserved", paymentId: 7 });
    expect(reservationOf(reserved, undefined, 1)).toEqual({ kind: "reserved", rental: reserved });
    const declined = pending({ status: "Cancelled", cancelReason: "payment-declined" });
    expect(reservationOf(declined, { kind: "declined", detail: "over limit" }, 1)).toEqual({ kind: "declined", rental: declined, detail: "over limit" });
    const unavailable = pending({ status: "Cancelled", cancelReason: "payment-unavailable" });
    expect(reservationOf(unavailable, undefined, 5)).toEqual({ kind: "unavailable", rental: unavailable, detail: undefined, retryAfter: 5 });
  });

  test("the customer may not cancel a rental that is pending or already cancelled", () => {
    expect(() => cancelByCustomer(pending(), T1)).toThrow(CannotCancel);
    expect(() => cancelByCustomer(pending({ status: "Cancelled", cancelReason: "payment-declined" }), T1)).toThrow(CannotCancel);
  });

  test("the customer may cancel until the window starts, not from its first instant on", () => {
    const reserved = pending({ status: "Reserved", paymentId: 7 });
    expect(cancelByCustomer(reserved, "2026-01-01T00:59:59.999Z").rental.status).toBe("Cancelled");
    expect(() => cancelByCustomer(reserved, START)).toThrow(/already started/);
    expect(() => cancelByCustomer(pending({ status: "Confirmed", paymentId: 7 }), "2026-01-01T02:00:00.000Z")).toThrow(CannotCancel);
  });
});
