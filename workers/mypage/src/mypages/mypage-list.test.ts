import { afterEach, beforeEach, describe, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { expectListOrders } from "@rentalnang/shared/testing/list-orders";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import { historyOf } from "./histories.fixture.ts";
import { projectEvents } from "./project-events.ts";

/** GET /mypages in lab mode: newest rental first, oldest first with order=asc, paged without gaps or repeats in both. */

let db: Database;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  app = createApp({ db, logger: createLogger("test", "silent"), health: new Health(), metrics: new Metrics("mypage-list-test"), auth: LAB_MODE });
});
afterEach(() => db.close());

const get = async (path: string) => {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as any };
};
const byRental = { key: (m: any) => m.rentalId };

describe("the list of views", () => {
  test("order=asc lists the oldest rental first and pages through every row once, whatever order the events came in", async () => {
    // Rentals' ids are given in the order they were made: the view lists by them, not by when it heard.
    for (const rentalId of [6, 2, 9, 1, 4, 7, 3]) await projectEvents(db, historyOf(rentalId, rentalId === 4 ? "confirmed by the manager" : "reserved, awaiting the manager"));
    await expectListOrders(get, "/mypages", [1, 2, 3, 4, 6, 7, 9], byRental);
    await expectListOrders(get, "/mypages?status=AwaitingConfirmation", [1, 2, 3, 6, 7, 9], byRental);
    await expectListOrders(get, "/mypages?customerId=c-1", [1, 4, 7], byRental);
  });
});
