import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import type { DomainEvent, EventType } from "@rentalnang/shared/events/catalog";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import { createRebuildMypages } from "./rebuild-mypages.ts";
import { historyOf, scenarioNames } from "./histories.fixture.ts";
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

/**
 * The saga's causes, stated here apart from the code under test: the causationIds its
 * producers write (delivery's request names the approval; the refund and the withdrawal name
 * the cancellation) and the orders it enforces (rental records Rented only once payment
 * approved; a person cancels a reservation that exists; only an approved payment is refunded;
 * a request is confirmed or withdrawn once it exists).
 */
const CAUSES: [cause: EventType, effect: EventType][] = [
  ["PaymentApproved", "Rented"], ["PaymentApproved", "ConfirmationRequested"], ["PaymentApproved", "PaymentRefunded"],
  ["Rented", "RentalCancelled"], ["RentalCancelled", "PaymentRefunded"], ["RentalCancelled", "ConfirmationCancelled"],
  ["ConfirmationRequested", "ReservationConfirmed"], ["ConfirmationRequested", "ConfirmationCancelled"],
];
/** Each cause the timeline lists after its effect, in words. */
const causesAfterEffects = (types: string[]) =>
  CAUSES.filter(([cause, effect]) => types.includes(cause) && types.includes(effect) && types.indexOf(cause) > types.indexOf(effect))
    .map(([cause, effect]) => `${cause} listed after its effect ${effect}: ${types.join(", ")}`);

/** The causationIds the producers set, on a history whose ids are final. */
function linkedAsProduced(history: DomainEvent[]): DomainEvent[] {
  const idOf = (type: EventType) => history.find((e) => e.type === type)?.id ?? null;
  const causeOf: Partial<Record<EventType, EventType>> = {
    ConfirmationRequested: "PaymentApproved", PaymentRefunded: "RentalCancelled", ConfirmationCancelled: "RentalCancelled",
  };
  return history.map((e) => ({ ...e, causationId: causeOf[e.type] ? idOf(causeOf[e.type]!) : null }) as DomainEvent);
}

/** Stamps that would put every effect first if the timeline followed them alone: one instant with ids against the order, or clocks running backwards. */
const stampings: Record<string, (rentalId: number, i: number, n: number) => { id: string; occurredAt: string }> = {
  "one instant, ids against the order": (r, i, n) => ({ id: `r${r}-${String(n - i).padStart(2, "0")}`, occurredAt: "2026-01-01T00:00:00.000Z" }),
  "clocks backwards": (r, i, n) => ({ id: `r${r}-${String(i).padStart(2, "0")}`, occurredAt: new Date(Date.UTC(2026, 0, 1) + (n - i) * 1000).toISOString() }),
};
/** Orders in which mypage may receive a history. */
const arrivals: Record<string, (h: DomainEvent[]) => DomainEvent[]> = {
  "as they happened": (h) => h,
  "backwards": (h) => h.toReversed(),
  "odd ones first": (h) => [...h.filter((_, i) => i % 2 === 1), ...h.filter((_, i) => i % 2 === 0)],
};

describe("causes before effects", () => {
  test("Payment approved comes before Reserved and paid (Rented) at the same instant, whatever their ids", async () => {
    const [approved, rented] = historyOf(7, "reserved, awaiting the manager");
    const instant = "2026-01-01T00:00:00.000Z";
    await projectEvents(db, [{ ...rented!, id: "a-rented", occurredAt: instant }, { ...approved!, id: "b-approved", occurredAt: instant }] as DomainEvent[]);
    expect((await timeline(7)).body.items.map((i: any) => i.type)).toEqual(["PaymentApproved", "Rented"]);
  });

  test("no cause is listed after its effect, whatever the stamps, the order events arrive in, and after a rebuild", async () => {
    const cases: { rentalId: number; label: string }[] = [];
    for (const scenario of scenarioNames) {
      for (const [stamping, stamp] of Object.entries(stampings)) {
        for (const [arrival, arrive] of Object.entries(arrivals)) {
          const rentalId = cases.length + 1;
          const stamped = historyOf(rentalId, scenario).map((e, i, all) => ({ ...e, ...stamp(rentalId, i, all.length) }) as DomainEvent);
          for (const event of arrive(linkedAsProduced(stamped))) await projectEvents(db, [event]);
          cases.push({ rentalId, label: `${scenario}; ${stamping}; arrived ${arrival}` });
        }
      }
    }
    const violations = async () => {
      const found: string[] = [];
      for (const { rentalId, label } of cases) {
        for (const v of causesAfterEffects((await timeline(rentalId)).body.items.map((i: any) => i.type))) found.push(`${label}: ${v}`);
      }
      return found;
    };
    expect(await violations()).toEqual([]);
    expect(await createRebuildMypages({ db })()).toMatchObject({ kind: "rebuilt", written: cases.length });
    expect(await violations()).toEqual([]);
  });
});
