import { afterEach, beforeEach, describe, expect, jest, test } from "bun:test";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
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
  const res = await app.request(path, { headers: { authorization: `Bearer ${as}`, ...headers } });
  return { res, body: res.status === 200 ? ((await res.json()) as any) : undefined };
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

/**
 * These run on a fake clock: a reader's re-read and its deadline fire only when the test moves
 * the clock, while the database and the app run for real. So "at once" is "answered with the
 * clock standing still" (a reader that waited on a timer would never answer), and "after the
 * wait" is "still waiting a millisecond before its end, answered at it".
 */
describe("Prefer: wait", () => {
  let started = 0;
  beforeEach(() => {
    jest.useFakeTimers();
    started = performance.now();
  });
  afterEach(() => void jest.useRealTimers());

  /** Milliseconds on the fake clock since the test began. */
  const clock = () => performance.now() - started;
  /**
   * Lets the event loop turn until `done` holds. The database's engine is synchronous, so what
   * can happen without the clock moving happens within a turn or two, however loaded the
   * machine: a thousand turns without it means it waits on the clock.
   */
  const until = async (done: () => boolean, what: string) => {
    for (let turn = 0; !done(); turn++) {
      if (turn === 1_000) throw new Error(`${what}: not after 1 000 turns of the event loop, with the clock at ${clock()} ms`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  type Reading = { answer: ReturnType<typeof read>; settled: boolean };
  /** A read started and not awaited yet, and whether it has answered. */
  const reading = (...args: Parameters<typeof read>): Reading => {
    const tracked = { answer: read(...args), settled: false };
    void tracked.answer.finally(() => (tracked.settled = true));
    return tracked;
  };
  /** Its answer, which must come without the clock moving. */
  const answered = async (reader: Reading) => {
    await until(() => reader.settled, "the read answered");
    return reader.answer;
  };
  /** Until `n` readers have looked at their rows and parked (each with its re-read timer armed). */
  const parked = (n: number) => until(() => changes.parked === n && jest.getTimerCount() === n, `${n} reader(s) parked`);

  test("waits for a row that does not exist yet instead of 404, and answers with it once it is folded", async () => {
    const reader = reading("/mypages/1", { prefer: "wait=3" });
    await parked(1);
    expect(reader.settled).toBe(false);
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const { res, body } = await answered(reader);
    expect(res.status).toBe(200);
    expect(res.headers.get("preference-applied")).toBe("wait=3");
    expect(body.status).toBe("AwaitingConfirmation");
    expect(clock()).toBe(0); // woken by the fold, not by a re-read
  });

  test("without wait a missing row is 404 at once", async () => {
    const { res } = await answered(reading("/mypages/1"));
    expect(res.status).toBe(404);
    expect(changes.parked).toBe(0);
    expect(clock()).toBe(0);
  });

  test("with If-None-Match it is woken by the fold's change", async () => {
    const [approved, rented, requested, confirmed] = historyOf(1, "confirmed by the manager");
    await fold([approved!, rented!, requested!]);
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const reader = reading("/mypages/1", { prefer: "wait=4", "if-none-match": etag });
    await parked(1);
    expect(reader.settled).toBe(false);
    await fold([confirmed!]);
    const { res, body } = await answered(reader);
    expect(res.status).toBe(200);
    expect(body.status).toBe("Confirmed");
    expect(clock()).toBe(0); // the change woke it: no re-read came due
  });

  test("304 once the wait is over and nothing changed", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const reader = reading("/mypages/1", { prefer: "wait=1", "if-none-match": etag });
    await parked(1);
    jest.advanceTimersByTime(999);
    expect(reader.settled).toBe(false);
    jest.advanceTimersByTime(1);
    const { res } = await answered(reader);
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
  });

  test("a longer wait is clamped to 5 s, and Preference-Applied says so", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const reader = reading("/mypages/1", { prefer: "respond-async, wait=30", "if-none-match": etag });
    await parked(1);
    jest.advanceTimersByTime(4_999); // its first re-read comes due; it looks again and parks for the last millisecond
    await parked(1);
    expect(reader.settled).toBe(false);
    jest.advanceTimersByTime(1);
    const { res } = await answered(reader);
    expect(res.status).toBe(304);
    expect(res.headers.get("preference-applied")).toBe("wait=5");
    expect(clock()).toBe(5_000);
  });

  test("draining answers the parked readers at once, and parks no more", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager"));
    const etag = (await read("/mypages/1")).res.headers.get("etag")!;
    const unchanged = reading("/mypages/1", { prefer: "wait=5", "if-none-match": etag });
    const missing = reading("/mypages/2", { prefer: "wait=5" });
    await parked(2);
    expect([unchanged.settled, missing.settled]).toEqual([false, false]);
    changes.drain();
    const [a, b] = await Promise.all([answered(unchanged), answered(missing)]);
    expect([a.res.status, b.res.status]).toEqual([304, 404]);
    expect(changes.parked).toBe(0);
    expect((await answered(reading("/mypages/1", { prefer: "wait=5", "if-none-match": etag }))).res.status).toBe(304);
    expect(changes.parked).toBe(0);
    expect(clock()).toBe(0);
  });

  test("another customer's row is 404 at once, waiting or not; the owner waits", async () => {
    await fold(historyOf(1, "reserved, awaiting the manager")); // customer c-1
    const stranger = await answered(reading("/mypages/1", { prefer: "wait=3" }, "c-2"));
    expect(stranger.res.status).toBe(404);
    expect(clock()).toBe(0);
    const etag = (await read("/mypages/1", {}, "c-1")).res.headers.get("etag")!;
    const owner = reading("/mypages/1", { prefer: "wait=0.3", "if-none-match": etag }, "c-1");
    await parked(1);
    expect(owner.settled).toBe(false);
    jest.advanceTimersByTime(300);
    expect((await answered(owner)).res.status).toBe(304);
    // A row that appears during the wait but is someone else's is 404 as soon as it appears.
    const late = reading("/mypages/4", { prefer: "wait=3" }, "c-2");
    await parked(1);
    expect(late.settled).toBe(false);
    await fold(historyOf(4, "reserved, awaiting the manager")); // customer c-1
    expect((await answered(late)).res.status).toBe(404);
    expect(clock()).toBe(300); // the fold ended that wait, not its deadline
  });

  test("a row that names no customer yet (payment's event came before rental's) keeps its owner waiting until it names them", async () => {
    const [approved, rented] = historyOf(1, "reserved, awaiting the manager"); // customer c-1
    await fold([approved!]);
    const owner = reading("/mypages/1", { prefer: "wait=5" }, "c-1");
    await parked(1);
    expect(owner.settled).toBe(false);
    await fold([rented!]);
    const { res, body } = await answered(owner);
    expect(res.status).toBe(200);
    expect(body.customerId).toBe("c-1");
    expect(body.status).toBe("Reserved");
  });
});
