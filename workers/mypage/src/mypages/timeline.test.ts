import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import { createRebuildMypages } from "./rebuild-mypages.ts";
import { historyOf } from "./histories.fixture.ts";
import { projectEvents } from "./project-events.ts";
import { causalOrder } from "./timeline.ts";

const verifier = {
  verify: async (token: string): Promise<Principal> => ({ subject: token, roles: [token.startsWith("m-") ? "manager" : "customer"], clientId: "web" }),
};
let db: Database;
let app: ReturnType<typeof createApp>;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  app = createApp({ db, logger: createLogger("test", "silent"), health: new Health(), metrics: new Metrics("timeline-test"), auth: { verifier } });
});
afterEach(() => db.close());

const timeline = async (id: number, as = "m-1") => {
  const res = await app.request(`/mypages/${id}/timeline`, { headers: { authorization: `Bearer ${as}` } });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as any) : undefined };
};
const at = (e: DomainEvent, occurredAt: string, causationId: string | null = null, source = e.source): DomainEvent =>
  ({ ...e, occurredAt, causationId, source }) as DomainEvent;

describe("a reservation's timeline", () => {
  test("lists every event with its source, cause and a sentence, in the order they happened", async () => {
    const [approved, rented, requested, confirmed] = historyOf(1, "confirmed by the manager");
    // Folded out of order, and one twice: the timeline is the events once each, in time order.
    await projectEvents(db, [confirmed!, requested!]);
    await projectEvents(db, [rented!, approved!, requested!]);
    const { status, body } = await timeline(1);
    expect(status).toBe(200);
    expect(body.items.map((i: any) => i.type)).toEqual(["PaymentApproved", "Rented", "ConfirmationRequested", "ReservationConfirmed"]);
    expect(body.items[1]).toEqual({
      eventId: rented!.id, type: "Rented", source: "test", occurredAt: rented!.occurredAt, causationId: null,
      correlationId: "c1", summary: "Car car-1 reserved for 3 h at 3,000 won.",
    });
    expect(body.items.map((i: any) => i.summary)).toEqual([
      "Payment 101 of 3,000 won approved.",
      "Car car-1 reserved for 3 h at 3,000 won.",
      "Confirmation requested from a manager (delivery 201).",
      "Confirmed by a manager.",
    ]);
  });

  test("a cause stamped later than its effect (clocks disagree) still comes first", async () => {
    const [approved, rented, requested] = historyOf(2, "reserved, awaiting the manager");
    const cause = at(rented!, "2026-01-01T00:00:10.000Z", null, "rental");
    const effect = at(requested!, "2026-01-01T00:00:09.500Z", cause.id, "delivery");
    const first = at(approved!, "2026-01-01T00:00:05.000Z", null, "payment");
    await projectEvents(db, [effect, first, cause]);
    const { body } = await timeline(2);
    expect(body.items.map((i: any) => [i.type, i.source])).toEqual([
      ["PaymentApproved", "payment"], ["Rented", "rental"], ["ConfirmationRequested", "delivery"],
    ]);
    expect(body.items[2].causationId).toBe(cause.id);
  });

  test("the order is a stable topological sort: chains of late causes, and a cycle does not hang", () => {
    const [a, b, c, d] = historyOf(3, "confirmed by the manager");
    // d caused by c caused by b, stamped in reverse; a unrelated and earliest.
    const events = [
      at(a!, "2026-01-01T00:00:01.000Z"),
      at(d!, "2026-01-01T00:00:02.000Z", c!.id),
      at(c!, "2026-01-01T00:00:03.000Z", b!.id),
      at(b!, "2026-01-01T00:00:04.000Z"),
    ];
    expect(causalOrder(events).map((e) => e.id)).toEqual([a!.id, b!.id, c!.id, d!.id]);
    const looped = [at(a!, "2026-01-01T00:00:01.000Z", b!.id), at(b!, "2026-01-01T00:00:02.000Z", a!.id)];
    expect(causalOrder(looped)).toHaveLength(2);
  });

  test("cancellations say why, in words", async () => {
    await projectEvents(db, historyOf(4, "declined"));
    await projectEvents(db, historyOf(5, "cancelled by the customer while awaiting"));
    expect((await timeline(4)).body.items.map((i: any) => i.summary)).toEqual(["Reservation cancelled: the payment was declined."]);
    expect((await timeline(5)).body.items.map((i: any) => i.summary)).toContain("Payment 105 refunded (3,000 won).");
  });

  test("same access as the row: the owner sees it, another customer gets 404, an unknown rental 404", async () => {
    await projectEvents(db, historyOf(1, "reserved, awaiting the manager")); // customer c-1
    expect((await timeline(1, "c-1")).status).toBe(200);
    expect((await timeline(1, "c-2")).status).toBe(404);
    expect((await timeline(99)).status).toBe(404);
  });

  test("a rebuild from the event log keeps the timeline as it was", async () => {
    await projectEvents(db, historyOf(1, "cancelled by the customer after confirmation"));
    const before = await timeline(1);
    expect(await createRebuildMypages({ db })()).toMatchObject({ kind: "rebuilt", written: 1 });
    expect(await timeline(1)).toEqual(before);
  });
});
