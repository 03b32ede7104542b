import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { expectListOrders } from "@rentalnang/shared/testing/list-orders";
import { createApp } from "../app.ts";
import { seedDemoFleet } from "../cars/car-store.ts";
import { migrations } from "../migrations.ts";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createRentalUseCases } from "./rental-use-cases.ts";

/** GET /rentals in lab mode: newest first, oldest first with order=asc, paged without gaps or repeats in both. */

const logger = createLogger("test", "silent");
let db: Database;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  let charged = 0;
  const payment: PaymentGateway = { charge: async () => ({ kind: "approved", paymentId: ++charged }), retryAfterSeconds: () => 1, circuit: "closed" };
  let clock = Date.parse("2026-06-01T08:30:00.000Z");
  const now = () => new Date((clock += 1000)).toISOString();
  app = createApp({ db, useCases: createRentalUseCases({ db, payment, publishSoon: () => {}, logger, now }), logger, health: new Health(), metrics: new Metrics("rental-list-test"), auth: LAB_MODE });
  await seedDemoFleet(db, 1000, now());
});
afterEach(() => db.close());

const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};
/** Reserves car aaa on its own day of June, for `customerId`; the new rental's id. */
const reserve = async (day: number, customerId: string) => {
  const startAt = `2026-06-${String(day).padStart(2, "0")}T10:00:00.000Z`;
  const res = await app.request("/rentals", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ carId: "aaa", rentHour: 1, startAt, customerId }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as any).id as number;
};

describe("the list of rentals", () => {
  test("order=asc lists the oldest first and pages through every row once; newest first without it", async () => {
    const listers: number[] = [];
    for (let day = 2; day <= 8; day++) {
      listers.push(await reserve(day, "lister"));
      await reserve(day + 10, "someone-else");
    }
    const cancelled = listers.splice(2, 1)[0]!;
    expect((await app.request(`/rentals/${cancelled}`, { method: "DELETE" })).status).toBe(204);
    await expectListOrders(get, "/rentals?customerId=lister", listers);
    const everyone = (await get("/rentals?order=asc&limit=100")).body.items.map((r: any) => r.createdAt);
    expect(everyone).toHaveLength(13);
    expect(everyone).toEqual(everyone.toSorted());
    expect(new Set(everyone).size).toBe(13);
  });
});
