import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import { historyOf } from "./histories.fixture.ts";
import { projectEvents } from "./project-events.ts";
import { RowChanges } from "./row-changes.ts";

/**
 * ETags and `Prefer: wait` on a real libSQL database: the token is the account, whose first
 * letter is its role (c-… customer, m-… manager). Rental n belongs to customer c-(n % 3).
 */

const roleOf = (account: string): Principal["roles"] => (account.startsWith("m-") ? ["manager"] : ["customer"]);
const verifier = { verify: async (token: string): Promise<Principal> => ({ subject: token, roles: roleOf(token), clientId: "web" }) };

let db: Database;
let changes: RowChanges;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  changes = new RowChanges();
  app = createApp({ db, changes, logger: createLogger("test", "silent"), health: new Health(), metrics: new Metrics("live-test"), auth: { verifier } });
});
afterEach(() => db.close());

const fold = (events: DomainEvent[]) => projectEvents(db, events, (ids) => changes.notify(ids));
const read = async (path: string, headers: Record<string, string> = {}, as = "m-1") => {
  const t0 = performance.now();
  const res = await app.request(path, { headers: { authorization: `Bearer ${as}`, ...headers } });
  return { res, ms: performance.now() - t0, body: res.status === 200 ? ((await res.json()) as any) : undefined };
};

describe("ETag", () => {
  test("GET sends an ETag; If-None-Match with it is 304, and a change gives a new one", async () => {
    const [approved, rented, requested] = historyOf(1, "reserved, awaiting the manager");
    await fold([approved!, rented!]);
    const first = await read("/mypages/1");
    const etag = first.res.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await read("/mypages/1", { "if-none-match": etag });
    expect(again.res.status).toBe(304);
    expect(again.res.headers.get("etag")).toBe(etag);
    expect(await again.res.text()).toBe("");
    await fold([requested!]);
    const changed = await read("/mypages/1", { "if-none-match": etag });
    expect(changed.res.status).toBe(200);
    expect(changed.res.headers.get("etag")).not.toBe(etag);
    expect(changed.body.status).toBe("AwaitingConfirmation");
  });

  test("a redelivered event leaves the ETag as it was", async () => {
    const events = historyOf(1, "confirmed by the manager");
    await fold(events);
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    await fold(events);
    expect((await read("/mypages/1", { "if-none-match": etag })).res.status).toBe(304);
  });
});

describe("Prefer: wait", () => {
  test("waits for a row that appears 300 ms later instead of 404", async () => {
    setTimeout(() => void fold(historyOf(1, "reserved, awaiting the manager")), 300);
    const { res, ms, body } = await read("/mypages/1", { prefer: "wait=3" });
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("wait=3");
    expect(body.status).toBe("AwaitingConfirmation");
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(1_500);
  });

  test("without wait a missing row is 404 at once", async () => {
    const { res, ms } = await read("/mypages/1");
    expect(res.status).toBe(404);
    expect(ms).toBeLessThan(200);
  });

  test("with If-None-Match it is woken by the fold's change", async () => {
    const [approved, rented, requested, confirmed] = historyOf(1, "confirmed by the manager");
    await fold([approved!, rented!, requested!]);
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    setTimeout(() => void fold([confirmed!]), 300);
    const { res, ms, body } = await read("/mypages/1", { prefer: "wait=4", "if-none-match": etag });
    expect(res.status).toBe(200);
    expect(body.status).toBe("Confirmed");
    expect(ms).toBeLessThan(1_000);
  });

  test("304 once the wait is over and nothing changed", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const { res, ms } = await read("/mypages/1", { prefer: "wait=1", "if-none-match": etag });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1_600);
  });

  test("a longer wait is clamped to 5 s, and Preference-Applied says so", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const { res, ms } = await read("/mypages/1", { prefer: "respond-async, wait=30", "if-none-match": etag });
    expect(res.status).toBe(304);
    expect(res.headers.get("preference-applied")).toBe("wait=5");
    expect(ms).toBeGreaterThanOrEqual(4_900);
    expect(ms).toBeLessThan(6_000);
  }, 10_000);

  test("draining answers the parked readers at once, and parks no more", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const parked = read("/mypages/1", { prefer: "wait=5", "if-none-match": etag });
    const missing = read("/mypages/2", { prefer: "wait=5" });
    await Bun.sleep(100);
    expect(changes.parked).toBe(2);
    changes.drain();
    const [a, b] = await Promise.all([parked, missing]);
    expect([a.res.status, b.res.status]).toEqual([304, 404]);
    expect(Math.max(a.ms, b.ms)).toBeLessThan(500);
    expect(changes.parked).toBe(0);
    expect((await read("/mypages/1", { prefer: "wait=5", "if-none-match": etag })).ms).toBeLessThan(200);
  });

  test("another customer's row is 404 at once, waiting or not; the owner waits", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager")); // customer c-1
    const stranger = await read("/mypages/1", { prefer: "wait=3" }, "c-2");
    expect(stranger.res.status).toBe(404);
    expect(stranger.ms).toBeLessThan(200);
    const etag = (await read("/mypages/1", {}, "c-1")).res.headers.get("etag")!;
    const owner = await read("/mypages/1", { prefer: "wait=0.3", "if-none-match": etag }, "c-1");
    expect(owner.res.status).toBe(304);
    // A row that appears during the wait but is someone else's is 404 as soon as it appears.
    setTimeout(() => void fold(historyOf(4, "reserved, awaiting the manager")), 200); // customer c-1
    const late = await read("/mypages/4", { prefer: "wait=3" }, "c-2");
    expect(late.res.status).toBe(404);
    expect(late.ms).toBeLessThan(1_000);
  });

  test("a row that names no customer yet (payment's event came before rental's) keeps its owner waiting until it names them", async () => {
    const [approved, rented] = historyOf(1, "reserved, awaiting the manager"); // customer c-1
    await fold([approved!]);
    const owner = read("/mypages/1", { prefer: "wait=5" }, "c-1");
    await eventually(() => changes.parked === 1, { what: "the owner parked on a row that names no customer" });
    await fold([rented!]);
    const { res, body } = await owner;
    expect(res.status).toBe(200);
    expect(body.customerId).toBe("c-1");
    expect(body.status).toBe("Reserved");
  });
});
