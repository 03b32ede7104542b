import { describe, expect, test } from "bun:test";
import type { Reservation } from "./customer-resources.ts";
import { choiceOf, nextFullHour } from "./customer-calls.ts";
import { cancellable, isFinal } from "./reservation-status.tsx";

const row = (over: Partial<Reservation>): Reservation => ({
  rentalId: 1, carId: "aaa", rentHour: 1, price: 1000, startAt: "2999-01-01T00:00:00.000Z", endAt: "2999-01-01T01:00:00.000Z",
  status: "Reserved", paymentStatus: "Approved", cancelReason: null, ...over,
});

describe("a reservation's live status", () => {
  test("keeps following while it can still change by itself", () => {
    expect(isFinal(row({ status: "Reserved" }))).toBe(false);
    expect(isFinal(row({ status: "AwaitingConfirmation" }))).toBe(false);
    // Cancelled but not yet refunded: the refund is still to come.
    expect(isFinal(row({ status: "Cancelled", paymentStatus: "Approved" }))).toBe(false);
  });

  test("stops once confirmed, or cancelled with the payment settled", () => {
    expect(isFinal(row({ status: "Confirmed" }))).toBe(true);
    expect(isFinal(row({ status: "Cancelled", paymentStatus: "Refunded" }))).toBe(true);
    expect(isFinal(row({ status: "Cancelled", paymentStatus: "Declined", cancelReason: "payment-declined" }))).toBe(true);
    expect(isFinal(row({ status: "Cancelled", paymentStatus: null, cancelReason: "payment-unavailable" }))).toBe(true);
  });

  test("may be cancelled while live and before its window starts", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(cancellable(row({ status: "Confirmed" }), now)).toBe(true);
    expect(cancellable(row({ status: "Cancelled" }), now)).toBe(false);
    expect(cancellable(row({ startAt: "2029-12-31T23:00:00Z" }), now)).toBe(false);
  });
});

describe("the reserve form's choice", () => {
  test("takes the instant the page's script made of Start, else reads Start as UTC", () => {
    expect(choiceOf({ carId: "aaa", startAt: "2030-01-01T09:00:00.000Z", start: "2030-01-01T18:00", rentHour: "3" }))
      .toEqual({ carId: "aaa", startAt: "2030-01-01T09:00:00.000Z", rentHour: 3 });
    expect(choiceOf({ carId: "aaa", start: "2030-01-01T18:00", rentHour: "2" }).startAt).toBe("2030-01-01T18:00:00.000Z");
    expect(choiceOf({}).startAt).toBeUndefined();
  });

  test("prices hours outside 1..720 at their nearest bound", () => {
    expect(choiceOf({ rentHour: "" }).rentHour).toBe(1);
    expect(choiceOf({ rentHour: "0" }).rentHour).toBe(1);
    expect(choiceOf({ rentHour: "9999" }).rentHour).toBe(720);
  });

  test("without a start, the window is the next full hour", () => {
    expect(nextFullHour(Date.parse("2030-01-01T09:15:00Z"))).toBe("2030-01-01T10:00:00.000Z");
    expect(nextFullHour(Date.parse("2030-01-01T09:00:00Z"))).toBe("2030-01-01T10:00:00.000Z");
  });
});
