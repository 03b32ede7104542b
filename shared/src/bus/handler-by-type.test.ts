import { describe, expect, test } from "bun:test";
import { envelopeFor } from "../db/outbox.ts";
import { parseDomainEvent, UnknownEventError } from "../events/catalog.ts";
import type { Envelope } from "../events/envelope.ts";
import { handlerByType } from "./handler-by-type.ts";

/** A consumer's accepted types and the functions that handle them come from one map. */

const envelope = (type: string, version: number, data: unknown) =>
  envelopeFor({ type, version, aggregateId: "1", data }, "test", { correlationId: "c" });
const cancelled = envelope("RentalCancelled", 1, {
  rentalId: 1, carId: "aaa", rentHour: 3, price: 3000, customerId: null, paymentId: 7, reason: "customer",
});
const confirmed = envelope("ReservationConfirmed", 1, { deliveryId: 2, rentalId: 1 });

function recording() {
  const seen: { reason: string; envelope: Envelope }[] = [];
  const handler = handlerByType({
    // `event.data.reason` compiles only because the event is narrowed to RentalCancelled.
    RentalCancelled: async (event, from) => void seen.push({ reason: event.data.reason, envelope: from }),
  });
  return { seen, handler };
}

describe("a handler built from a map of event types", () => {
  test("accepts exactly the map's types", () => {
    expect(recording().handler.accepts).toEqual(["RentalCancelled"]);
    const two = handlerByType({ PaymentApproved: async () => {}, RentalCancelled: async () => {} });
    expect(two.accepts).toEqual(["PaymentApproved", "RentalCancelled"]);
  });

  test("a type in the map is dispatched to its function, with the parsed event and the envelope as read", async () => {
    const { seen, handler } = recording();
    await handler.handle(cancelled);
    expect(seen).toEqual([{ reason: "customer", envelope: cancelled }]);
  });

  test("an event the caller already parsed is dispatched the same way, with the envelope given", async () => {
    const { seen, handler } = recording();
    await handler.handleParsed(parseDomainEvent(cancelled), cancelled);
    await handler.handleParsed(parseDomainEvent(confirmed), confirmed);
    expect(seen).toEqual([{ reason: "customer", envelope: cancelled }]);
  });

  test("a known type not in the map is not accepted, and handling it calls nothing", async () => {
    const { seen, handler } = recording();
    expect(handler.accepts).not.toContain("ReservationConfirmed");
    await handler.handle(confirmed);
    expect(seen).toEqual([]);
  });

  test("an envelope the catalog does not know, or whose payload fails its schema, still throws (a poison entry)", async () => {
    const { seen, handler } = recording();
    await expect(handler.handle(envelope("RentalCancelled", 99, {}))).rejects.toBeInstanceOf(UnknownEventError);
    await expect(handler.handle(envelope("RentalCancelled", 1, { rentalId: "one" }))).rejects.toThrow();
    expect(seen).toEqual([]);
  });

  test("a map key outside the catalog does not compile (checked by the typecheck)", () => {
    // @ts-expect-error: not an event type of the catalog
    const build = () => handlerByType({ CarHandedOver: async () => {} });
    expect(build).toBeFunction();
  });
});
