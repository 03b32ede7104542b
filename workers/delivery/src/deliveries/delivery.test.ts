import { describe, expect, test } from "bun:test";
import { cancelWithRental, confirmByManager, shouldRequest, type Delivery } from "./delivery.ts";
import { present } from "./delivery-resource.ts";

const T = "2026-01-01T00:00:00.000Z";
const request = (status: Delivery["status"]): Delivery => ({
  id: 1, rentalId: 1, paymentId: 7, carId: "aaa", rentHour: 3, startAt: null, endAt: null, status, createdAt: T, updatedAt: T,
});

describe("delivery rules", () => {
  test("a paid rental gets a request once", () => {
    expect(shouldRequest({ cancelled: false })).toBe("create");
    expect(shouldRequest({ existing: request("PendingConfirmation"), cancelled: false })).toBe("exists");
  });

  test("a rental cancelled before its request existed never gets one", () => {
    expect(shouldRequest({ cancelled: true })).toBe("cancelled");
  });

  test("the manager confirms a pending request; repeating it changes nothing", () => {
    const outcome = confirmByManager(request("PendingConfirmation"), T);
    expect(outcome.kind).toBe("confirmed");
    expect(confirmByManager(outcome.delivery, T)).toEqual({ kind: "already", delivery: outcome.delivery });
  });

  test("a cancelled request cannot be confirmed", () => {
    expect(confirmByManager(request("Cancelled"), T).kind).toBe("cancelled");
  });

  test("cancelling the rental cancels a pending or confirmed request, once", () => {
    expect(cancelWithRental(request("PendingConfirmation"), T)?.status).toBe("Cancelled");
    expect(cancelWithRental(request("Confirmed"), T)?.status).toBe("Cancelled");
    expect(cancelWithRental(request("Cancelled"), T)).toBeUndefined();
  });
});

describe("a delivery's links", () => {
  test("offer confirm only while the request is pending", () => {
    expect(present(request("PendingConfirmation"))._links.confirm).toEqual({ href: "/deliveries/1/confirm" });
    for (const status of ["Confirmed", "Cancelled"] as const) {
      expect(Object.keys(present(request(status))._links).sort()).toEqual(["rental", "self"]);
    }
  });
});
