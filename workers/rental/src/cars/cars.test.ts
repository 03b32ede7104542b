import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { expectListOrders } from "@rentalnang/shared/testing/list-orders";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createRentalUseCases } from "../rentals/rental-use-cases.ts";
import { seedDemoFleet } from "./car-store.ts";

/** The fleet's API in lab mode (every role): adding, reading, listing free cars, retiring. */

const logger = createLogger("test", "silent");
let db: Database;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  const payment: PaymentGateway = { charge: async () => ({ kind: "approved", paymentId: 1 }), retryAfterSeconds: () => 1, circuit: "closed" };
  const useCases = createRentalUseCases({ db, payment, publishSoon: () => {}, logger });
  app = createApp({ db, useCases, logger, health: new Health(), metrics: new Metrics("cars-test"), auth: LAB_MODE });
});
afterEach(() => db.close());

const json = { "content-type": "application/json" };
const addCar = (id: string, ratePerHour: number | string = 1000, model = "Avante") =>
  app.request("/cars", { method: "POST", headers: json, body: JSON.stringify({ id, model, ratePerHour }) });
const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};
const ids = (body: any) => body.items.map((c: any) => c.id);

/** A rental holding `carId` over [start, end) in `status`, written as rental's store writes it. */
const hold = (carId: string, start: string, end: string, status = "Reserved") =>
  db.execute({
    sql: `INSERT INTO rentals (car_id, rent_hour, price, status, created_at, updated_at, start_at, end_at)
          VALUES (?, 1, 1000, ?, ?, ?, ?, ?)`,
    args: [carId, status, start, start, `2026-05-01T${start}:00.000Z`, `2026-05-01T${end}:00.000Z`],
  });
const free = (from: string, to: string, extra = "") => get(`/cars?availableFrom=2026-05-01T${from}:00Z&availableTo=2026-05-01T${to}:00Z${extra}`);

describe("the fleet", () => {
  test("a manager adds a car: 201 with Location; the same id again is 409", async () => {
    const res = await addCar("k5-01", "1500", "K5");
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/cars/k5-01");
    expect(await res.json()).toMatchObject({ id: "k5-01", model: "K5", ratePerHour: 1500, retired: false, retiredAt: null });
    const again = await addCar("k5-01", 900);
    expect(again.status).toBe(409);
    expect((await get("/cars/k5-01")).body.ratePerHour).toBe(1500);
  });

  test("bad input is 400: an id with spaces, no model, a rate of 0", async () => {
    expect((await addCar("no spaces")).status).toBe(400);
    expect((await addCar("ok", 1000, "")).status).toBe(400);
    expect((await addCar("ok", 0)).status).toBe(400);
  });

  test("retiring is 204, again 204; the car still reads, with retired: true, and leaves the list", async () => {
    await addCar("old");
    await addCar("new");
    expect((await app.request("/cars/old", { method: "DELETE" })).status).toBe(204);
    const first = (await get("/cars/old")).body.retiredAt;
    expect((await app.request("/cars/old", { method: "DELETE" })).status).toBe(204);
    expect((await get("/cars/old")).body).toMatchObject({ retired: true, retiredAt: first });
    expect(ids((await get("/cars")).body)).toEqual(["new"]);
    expect((await app.request("/cars/nope", { method: "DELETE" })).status).toBe(404);
    expect((await get("/cars/nope")).status).toBe(404);
  });

  test("the list pages in the order of the ids, whatever the order they were added in", async () => {
    for (const id of ["c", "a", "e", "b", "d"]) await addCar(id);
    const one = (await get("/cars?limit=2")).body;
    expect(ids(one)).toEqual(["a", "b"]);
    const two = (await get(`/cars?limit=2&cursor=${one.nextCursor}`)).body;
    expect(ids(two)).toEqual(["c", "d"]);
    const three = (await get(`/cars?limit=2&cursor=${two.nextCursor}`)).body;
    expect(three).toMatchObject({ nextCursor: null });
    expect(ids(three)).toEqual(["e"]);
    expect((await get("/cars?cursor=bogus")).status).toBe(400);
  });

  test("order=desc lists the ids backwards; either order pages through every car once", async () => {
    for (const id of ["c", "a", "e", "b", "d"]) await addCar(id);
    await expectListOrders(get, "/cars", ["a", "b", "c", "d", "e"], { defaultOrder: "asc" });
    await hold("c", "10:00", "12:00");
    await expectListOrders(get, "/cars?availableFrom=2026-05-01T11:00:00Z&availableTo=2026-05-01T13:00:00Z", ["a", "b", "d", "e"], { defaultOrder: "asc" });
  });

  test("with a window, only the cars free for all of it: touching is free, overlapping or containing is not", async () => {
    for (const id of ["a", "b", "c", "d", "e", "f"]) await addCar(id);
    await hold("a", "10:00", "12:00"); // ends where the window starts
    await hold("b", "14:00", "16:00"); // starts where it ends
    await hold("c", "11:00", "13:00"); // overlaps its start
    await hold("d", "12:30", "13:00"); // inside it
    await hold("e", "09:00", "20:00"); // contains it
    await hold("f", "12:00", "14:00", "Cancelled"); // cancelled: frees its window
    expect(ids((await free("12:00", "14:00")).body)).toEqual(["a", "b", "f"]);
    expect(ids((await free("12:00", "14:00", "&limit=2")).body)).toEqual(["a", "b"]);
    await hold("f", "13:59", "15:00", "PaymentPending"); // a pending one holds its window
    expect(ids((await free("12:00", "14:00")).body)).toEqual(["a", "b"]);
  });

  test("a window needs both ends, the start before the end", async () => {
    expect((await get("/cars?availableFrom=2026-05-01T10:00:00Z")).status).toBe(400);
    expect((await free("12:00", "12:00")).status).toBe(400);
    expect((await get("/cars?availableFrom=tomorrow&availableTo=2026-05-01T10:00:00Z")).status).toBe(400);
  });

  test("the availability query reads the partial index of live windows", async () => {
    const plan = await db.execute({
      sql: `EXPLAIN QUERY PLAN SELECT c.* FROM cars c WHERE c.retired_at IS NULL AND NOT EXISTS (
              SELECT 1 FROM rentals r WHERE r.car_id = c.id AND r.status IN ('PaymentPending', 'Reserved', 'Confirmed')
              AND r.start_at >= ? AND r.start_at < ? AND r.end_at > ?) ORDER BY c.id LIMIT 21`,
      args: ["a", "b", "c"],
    });
    expect(plan.rows.map((r) => String(r.detail)).join("\n")).toContain("rentals_live_window");
  });

  test("an empty database gets the demo fleet once, at the configured rate", async () => {
    expect(await seedDemoFleet(db, 1200, "2026-05-01T00:00:00.000Z")).toBe(true);
    expect(await seedDemoFleet(db, 1200, "2026-05-01T00:00:00.000Z")).toBe(false);
    const { body } = await get("/cars");
    expect(ids(body)).toEqual(["aaa", "bbb", "ccc", "ddd", "eee"]);
    expect(body.items.every((c: any) => c.ratePerHour === 1200)).toBe(true);
  });
});
