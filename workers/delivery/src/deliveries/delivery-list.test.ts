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
import { createDeliveryUseCases } from "./delivery-use-cases.ts";

/**
 * GET /deliveries in lab mode: newest first, oldest first with order=asc (the manager's
 * pending requests), paged without gaps or repeats in both.
 */

let db: Database;
let app: ReturnType<typeof createApp>;
let useCases: ReturnType<typeof createDeliveryUseCases>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  useCases = createDeliveryUseCases({ db, publishSoon: () => {} });
  app = createApp({
    db, useCases, queues: [], board: {}, logger: createLogger("test", "silent"), health: new Health(), metrics: new Metrics("delivery-list-test"), auth: LAB_MODE,
  });
});
afterEach(() => db.close());

const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};
const byRental = { key: (d: any) => d.rentalId };

describe("the list of confirmation requests", () => {
  test("order=asc lists the oldest first and pages through every row once; newest first without it", async () => {
    // Requested for rentals 1 … 8 in that order: oldest first is rentals 1 … 8.
    for (let rentalId = 1; rentalId <= 8; rentalId++) {
      const cause = { correlationId: `c${rentalId}` };
      expect(await useCases.requestDelivery({ rentalId, paymentId: rentalId + 100, carId: "aaa", rentHour: 1 }, cause)).toBe("created");
    }
    const ids = new Map(((await get("/deliveries?limit=100")).body.items as any[]).map((d) => [d.rentalId, d.id]));
    for (const rentalId of [2, 5]) expect((await app.request(`/deliveries/${ids.get(rentalId)}/confirm`, { method: "POST" })).status).toBe(200);
    await expectListOrders(get, "/deliveries", [1, 2, 3, 4, 5, 6, 7, 8], byRental);
    await expectListOrders(get, "/deliveries?status=PendingConfirmation", [1, 3, 4, 6, 7, 8], byRental);
  });
});
