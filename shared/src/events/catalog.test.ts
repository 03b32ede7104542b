import { describe, expect, test } from "bun:test";
import { envelopeFor } from "../db/outbox.ts";
import { currentVersion, parseDomainEvent, UnknownEventError, windowOf } from "./catalog.ts";

/** Events are versioned: producers write version 2 of the window-carrying events, consumers still read version 1. */

const base = { rentalId: 1, carId: "aaa", rentHour: 3, price: 3000, customerId: "c-1", paymentId: 7 };
const window = { startAt: "2026-12-01T09:00:00.000Z", endAt: "2026-12-01T12:00:00.000Z" };
const envelope = (type: string, version: number, data: unknown) =>
  envelopeFor({ type, version, aggregateId: "1", data }, "test", { correlationId: "c" });

describe("the event catalogue's versions", () => {
  test("Rented, RentalCancelled and PaymentApproved are written as version 2", () => {
    expect([currentVersion.Rented, currentVersion.RentalCancelled, currentVersion.PaymentApproved]).toEqual([2, 2, 2]);
  });

  test("version 2 carries the window; version 1, written before, is still understood, without one", () => {
    const v2 = parseDomainEvent(envelope("Rented", 2, { ...base, ...window }));
    expect(windowOf(v2.data)).toEqual(window);
    const v1 = parseDomainEvent(envelope("Rented", 1, base));
    expect(v1.data).toEqual(base);
    expect(windowOf(v1.data)).toBeNull();
    const cancelled = parseDomainEvent(envelope("RentalCancelled", 1, { ...base, paymentId: null, reason: "customer" }));
    expect(windowOf(cancelled.data)).toBeNull();
  });

  test("version 2 without its window is refused; an unknown version is a poison entry", () => {
    expect(() => parseDomainEvent(envelope("RentalCancelled", 2, { ...base, reason: "customer" }))).toThrow();
    expect(() => parseDomainEvent(envelope("Rented", 3, { ...base, ...window }))).toThrow(UnknownEventError);
  });

  test("PaymentApproved version 2 may name no window (a charge without one), and then has none", () => {
    const approved = { paymentId: 7, rentalId: 1, amount: 3000, rentHour: 3, carId: "aaa" };
    expect(windowOf(parseDomainEvent(envelope("PaymentApproved", 2, { ...approved, startAt: null, endAt: null })).data)).toBeNull();
    expect(windowOf(parseDomainEvent(envelope("PaymentApproved", 2, { ...approved, ...window })).data)).toEqual(window);
  });
});
