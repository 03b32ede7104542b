import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { createApp } from "../app.ts";
import { seedDemoFleet } from "../cars/car-store.ts";
import { migrations } from "../migrations.ts";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createRentalUseCases } from "./rental-use-cases.ts";

/**
 * A reservation holds its car for a window: overlaps are 409 with the other window only,
 * unknown and retired cars 422, the price is the car's rate, and a cancel frees the window
 * until the window starts.
 */

const HOUR_MS = 3_600_000;
const logger = createLogger("test", "silent");
let db: Database;
let clock: number;
let charges: Record<string, unknown>[];
let app: ReturnType<typeof createApp>;
let useCases: ReturnType<typeof createRentalUseCases>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  clock = Date.parse("2026-06-01T08:30:00.000Z");
  charges = [];
  const payment: PaymentGateway = {
    charge: async (request) => {
      charges.push({ ...request });
      return request.amount! > 500_000 ? { kind: "declined", detail: "over the limit" } : { kind: "approved", paymentId: charges.length };
    },
    retryAfterSeconds: () => 1,
    circuit: "closed",
  };
  const now = () => new Date(clock).toISOString();
  useCases = createRentalUseCases({ db, payment, publishSoon: () => {}, logger, now });
  app = createApp({ db, useCases, logger, health: new Health(), metrics: new Metrics("window-test"), auth: LAB_MODE });
  await seedDemoFleet(db, 1000, now());
});
afterEach(() => db.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.request(path, { method, headers: { "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
};
const reserve = (body: Record<string, unknown>) => call("POST", "/rentals", { rentHour: 2, customerId: "c-1", ...body });
const at = (hour: string) => `2026-06-01T${hour}:00.000Z`;

describe("a reservation's window", () => {
  test("the original's body {carId: aaa, rentHour: '3'} reserves from the next full hour, at the car's rate", async () => {
    const { status, body } = await call("POST", "/rentals", { carId: "aaa", rentHour: "3" });
    expect(status).toBe(201);
    expect(body).toMatchObject({ carId: "aaa", rentHour: 3, price: 3000, startAt: at("09:00"), endAt: at("12:00"), status: "Reserved" });
    expect(charges[0]).toMatchObject({ amount: 3000, startAt: at("09:00"), endAt: at("12:00") });
  });

  test("the price is rentHour × the car's own rate", async () => {
    expect((await call("POST", "/cars", { id: "lux", model: "G90", ratePerHour: 4500 })).status).toBe(201);
    expect((await reserve({ carId: "lux", rentHour: 4 })).body).toMatchObject({ price: 18_000 });
  });

  test("an overlapping window is 409 with the conflicting window and nobody's ids; touching windows both reserve", async () => {
    expect((await reserve({ carId: "aaa", startAt: at("11:00") })).status).toBe(201);
    const overlap = await reserve({ carId: "aaa", startAt: at("12:00"), customerId: "c-2" });
    expect(overlap.status).toBe(409);
    expect(overlap.body.conflict).toEqual({ startAt: at("11:00"), endAt: at("13:00") });
    expect(JSON.stringify(overlap.body)).not.toMatch(/c-1|rentalId|"id"/);
    expect((await reserve({ carId: "aaa", startAt: at("10:00"), rentHour: 5 })).status).toBe(409); // contains it
    expect((await reserve({ carId: "aaa", startAt: at("11:30"), rentHour: 1 })).status).toBe(409); // inside it
    expect((await reserve({ carId: "aaa", startAt: at("13:00") })).status).toBe(201); // touches its end
    expect((await reserve({ carId: "aaa", startAt: at("09:00") })).status).toBe(201); // touches its start
    expect((await reserve({ carId: "bbb", startAt: at("12:00") })).status).toBe(201); // another car
    expect(charges).toHaveLength(4);
  });

  test("unknown and retired cars are 422, and nothing is written or charged", async () => {
    expect((await reserve({ carId: "nope" })).status).toBe(422);
    expect((await call("DELETE", "/cars/ccc")).status).toBe(204);
    const retired = await reserve({ carId: "ccc" });
    expect(retired.status).toBe(422);
    expect(retired.body.detail).toContain("retired");
    expect(Number((await db.execute("SELECT count(*) AS n FROM rentals")).rows[0]!.n)).toBe(0);
    expect(charges).toHaveLength(0);
  });

  test("a retired car keeps the reservations it has", async () => {
    const { body } = await reserve({ carId: "ddd" });
    await call("DELETE", "/cars/ddd");
    expect((await call("GET", `/rentals/${body.id}`)).body.status).toBe("Reserved");
  });

  test("a bad body is 400 naming each field and what is wrong with it", async () => {
    const missing = await call("POST", "/rentals", { carId: "aaa" });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: "rentHour", message: "required" }]);
    expect(missing.body.detail).toBe("rentHour: required.");
    const wrong = await call("POST", "/rentals", { carId: 7, rentHour: "three" });
    expect(wrong.body.errors).toEqual([
      { path: "carId", message: "must be a string, not a number" },
      { path: "rentHour", message: "must be an integer" },
    ]);
    expect((await reserve({ carId: "aaa", rentHour: 0 })).body.errors).toEqual([{ path: "rentHour", message: "must be at least 1" }]);
  });

  test("a start more than five minutes past, or more than 365 days ahead, is 400", async () => {
    expect((await reserve({ carId: "aaa", startAt: at("08:24") })).status).toBe(400);
    expect((await reserve({ carId: "aaa", startAt: at("08:26") })).status).toBe(201);
    const ahead = new Date(clock + 366 * 24 * HOUR_MS).toISOString();
    const far = await reserve({ carId: "bbb", startAt: ahead });
    expect(far.status).toBe(400);
    expect(far.body.errors).toEqual([{ path: "startAt", message: expect.stringContaining("365") }]);
    expect((await reserve({ carId: "bbb", startAt: "next tuesday" })).status).toBe(400);
  });

  test("a cancel frees the window; cancelling once the window has started is 409", async () => {
    const first = await reserve({ carId: "eee" });
    expect((await reserve({ carId: "eee" })).status).toBe(409);
    expect((await call("DELETE", `/rentals/${first.body.id}`)).status).toBe(204);
    const second = await reserve({ carId: "eee" });
    expect(second.status).toBe(201);
    clock = Date.parse(second.body.startAt);
    const late = await call("DELETE", `/rentals/${second.body.id}`);
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain("already started");
  });

  test("a rental its canceller may not cancel is not found, and stays as it was", async () => {
    const { body } = await reserve({ carId: "eee" });
    const refused = await useCases.cancelRental(body.id, { correlationId: "t" }, { actor: "c-2", mayCancel: (r) => r.customerId === "c-2" });
    expect(refused).toEqual({ kind: "not-found" });
    expect((await call("GET", `/rentals/${body.id}`)).body.status).toBe("Reserved");
    const allowed = await useCases.cancelRental(body.id, { correlationId: "t" }, { actor: "c-1", mayCancel: (r) => r.customerId === "c-1" });
    expect(allowed.kind).toBe("cancelled");
  });

  test("a window lost to a declined payment is free again", async () => {
    expect((await reserve({ carId: "aaa", rentHour: 600 })).status).toBe(402);
    const { body } = await call("GET", "/cars?availableFrom=2026-06-01T09:00:00Z&availableTo=2026-06-01T10:00:00Z");
    expect(body.items.map((c: any) => c.id)).toEqual(["aaa", "bbb", "ccc", "ddd", "eee"]);
  });

  test("of 50 requests for one window at once exactly one is 201, the others 409", async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => reserve({ carId: "bbb", customerId: `c-${i}` })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  });
});
