import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { MemoryReading } from "@rentalnang/shared/bus/redis-memory";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { createApp } from "../app.ts";
import { seedDemoFleet } from "../cars/car-store.ts";
import { migrations } from "../migrations.ts";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createRentalUseCases } from "./rental-use-cases.ts";

/**
 * When the event bus cannot take more, a reservation is refused before anything is written or
 * charged, with 503 and Retry-After; with room again, it goes through as usual.
 */

const LIMIT = 3;
const logger = createLogger("test", "silent");
let db: Database;
let charges: number;
let backlog: number;
let memory: MemoryReading;
let app: ReturnType<typeof createApp>;

const reading = (usedBytes: number, maxBytes = 100): MemoryReading => ({
  usedBytes, maxBytes, budgetBytes: maxBytes * 0.8, publishLimitBytes: maxBytes * 0.72,
  overBudget: usedBytes >= maxBytes * 0.72, outOfMemory: usedBytes >= maxBytes,
});

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  await seedDemoFleet(db, 1000, new Date().toISOString());
  charges = 0;
  backlog = 0;
  memory = reading(10);
  const payment: PaymentGateway = {
    charge: async () => ({ kind: "approved", paymentId: ++charges }),
    retryAfterSeconds: () => 1,
    circuit: "closed",
  };
  const pressure = { memory: async () => memory, outboxBacklog: async () => backlog };
  const useCases = createRentalUseCases({
    db, payment, publishSoon: () => {}, logger, bus: { pressure, backlogLimit: LIMIT },
  });
  app = createApp({ db, useCases, logger, health: new Health(), metrics: new Metrics("rental-test"), auth: LAB_MODE });
});

afterEach(() => db.close());

const reserve = (key?: string) =>
  app.request("/rentals", {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
    body: JSON.stringify({ carId: "aaa", rentHour: 2 }),
  });
const rentalRows = async () => Number((await db.execute("SELECT count(*) AS n FROM rentals")).rows[0]!.n);

describe("a reservation while the event bus is full", () => {
  test("an outbox backlog at its limit: 503 + Retry-After, no rental, no charge", async () => {
    backlog = LIMIT;
    const res = await reserve();
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 503, reason: "outbox-backlog", retryAfter: 5 });
    expect(body.rentalId).toBeUndefined();
    expect(await rentalRows()).toBe(0);
    expect(charges).toBe(0);
  });

  test("Redis out of memory: 503 at once; only over its budget, the outbox is the buffer and the reservation goes through", async () => {
    memory = reading(100);
    expect((await reserve()).status).toBe(503);
    expect(charges).toBe(0);
    memory = reading(90); // over the budget, under maxmemory
    backlog = LIMIT - 1;
    expect((await reserve()).status).toBe(201);
    expect(charges).toBe(1);
  });

  test("with an Idempotency-Key the key is not taken: the retry once there is room reserves", async () => {
    backlog = LIMIT + 10;
    expect((await reserve("k-1")).status).toBe(503);
    backlog = 0;
    const retry = await reserve("k-1");
    expect(retry.status).toBe(201);
    expect((await reserve("k-1")).status).toBe(201); // replayed, not reserved again
    expect(await rentalRows()).toBe(1);
    expect(charges).toBe(1);
  });

  test("a Redis that cannot be asked does not refuse reservations (the backlog still bounds them)", async () => {
    const useCasesMemory = async () => Promise.reject(new Error("Redis away"));
    const payment: PaymentGateway = { charge: async () => ({ kind: "approved", paymentId: 1 }), retryAfterSeconds: () => 1, circuit: "closed" };
    const { reserveRental } = createRentalUseCases({
      db, payment, publishSoon: () => {}, logger,
      bus: { pressure: { memory: useCasesMemory, outboxBacklog: async () => 0 }, backlogLimit: LIMIT },
    });
    expect((await reserveRental({ carId: "bbb", rentHour: 1, customerId: null }, { correlationId: "c" })).kind).toBe("reserved");
  });
});
