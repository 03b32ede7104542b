import { describe, expect, test } from "bun:test";
import { cancel, confirm, shouldRequest, type Confirmation } from "./confirmation.ts";

const T = "2026-01-01T00:00:00.000Z";
const request = (status: Confirmation["status"]): Confirmation => ({
  id: 1, rentalId: 1, paymentId: 7, carId: "aaa", rentHour: 3, status, createdAt: T, updatedAt: T,
});

describe("confirmation rules", () => {
  test("a paid rental gets a request once", () => {
    expect(shouldRequest({ cancelled: false })).toBe("create");
    expect(shouldRequest({ existing: request("PendingConfirmation"), cancelled: false })).toBe("exists");
  });

  test("a rental cancelled before its request existed never gets one", () => {
    expect(shouldRequest({ cancelled: true })).toBe("cancelled");
  });

  test("the manager confirms a pending request; repeating it changes nothing", () => {
    const outcome = confirm(request("PendingConfirmation"), T);
    expect(outcome.kind).toBe("confirmed");
    expect(confirm(outcome.confirmation, T)).toEqual({ kind: "already", confirmation: outcome.confirmation });
  });

  test("a cancelled request cannot be confirmed", () => {
    expect(confirm(request("Cancelled"), T).kind).toBe("cancelled");
  });

  test("cancelling the rental cancels a pending or confirmed request, once", () => {
    expect(cancel(request("PendingConfirmation"), T)?.status).toBe("Cancelled");
    expect(cancel(request("Confirmed"), T)?.status).toBe("Cancelled");
    expect(cancel(request("Cancelled"), T)).toBeUndefined();
  });
});
