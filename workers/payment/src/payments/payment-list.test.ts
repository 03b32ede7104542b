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
import { createPaymentUseCases } from "./payment-use-cases.ts";

/** GET /payments in lab mode: newest first, oldest first with order=asc, paged without gaps or repeats in both. */

let db: Database;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  const useCases = createPaymentUseCases({ db, limit: 500_000, ratePerHour: 1000, publishSoon: () => {} });
  app = createApp({ db, useCases, callers: [], logger: createLogger("test", "silent"), health: new Health(), metrics: new Metrics("payment-list-test"), auth: LAB_MODE });
});
afterEach(() => db.close());

const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};
/** Charges for `rentalId` (declined over the limit); the payment's id. */
const charge = async (rentalId: number, amount = 3000) => {
  const res = await app.request("/payments", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rentalId, rentHour: 3, amount }) });
  expect([201, 402]).toContain(res.status);
  const body = (await res.json()) as any;
  return (res.status === 201 ? body.id : body.paymentId) as number;
};

describe("the list of payments", () => {
  test("order=asc lists the oldest first and pages through every row once; newest first without it", async () => {
    const ids: number[] = [];
    for (let rentalId = 1; rentalId <= 7; rentalId++) ids.push(await charge(rentalId, rentalId === 4 ? 900_000 : 3000));
    expect(ids).toEqual(ids.toSorted((a, b) => a - b));
    await expectListOrders(get, "/payments", ids);
  });
});
