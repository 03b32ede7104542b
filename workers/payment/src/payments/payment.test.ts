import { describe, expect, test } from "bun:test";
import { decideCharge, refund, type ChargeCommand, type Payment } from "./payment.ts";

const cmd: ChargeCommand = { rentalId: 1, rentHour: 3, amount: 3000, carId: "aaa", customerId: null, startAt: null, endAt: null };
const T = "2026-01-01T00:00:00.000Z";
const payment = (status: Payment["status"]): Payment => ({
  id: 7, rentalId: 1, amount: 3000, rentHour: 3, carId: "aaa", customerId: null, startAt: null, endAt: null, status, createdAt: T, updatedAt: T,
});

describe("payment rules", () => {
  test("an amount within the limit is approved", () => {
    expect(decideCharge(cmd, {}, 500_000)).toEqual({ kind: "new", status: "Approved" });
  });

  test("an amount over the limit is declined", () => {
    expect(decideCharge({ ...cmd, amount: 500_001 }, {}, 500_000)).toEqual({ kind: "new", status: "Declined" });
  });

  test("a second charge for the same rental returns the first payment and charges nothing", () => {
    const first = payment("Approved");
    expect(decideCharge(cmd, { payment: first }, 500_000)).toEqual({ kind: "existing", payment: first });
  });

  test("a charge for a rental cancelled before it arrived is refused", () => {
    expect(decideCharge(cmd, { cancelled: { reason: "payment-unavailable" } }, 500_000).kind).toBe("refused");
  });

  test("cancelling refunds an approved payment, and only that", () => {
    expect(refund(payment("Approved"), T)?.status).toBe("Refunded");
    expect(refund(payment("Declined"), T)).toBeUndefined();
    expect(refund(payment("Refunded"), T)).toBeUndefined();
  });
});
