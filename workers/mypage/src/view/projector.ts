import type { Database } from "@rentalnang/shared/db/database";
import { parseDomainEvent, type DomainEvent } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { empty, evolve, rentalIdOf } from "./mypage.ts";
import { findView, saveView } from "./mypage-store.ts";

/**
 * Folds saga events into their rentals' rows: read, merge, write, in one transaction for a
 * whole batch (the consumer hands over up to a batch of entries at once).
 */
export function createProjector(db: Database) {
  async function fold(events: DomainEvent[]) {
    const byRental = new Map<number, DomainEvent[]>();
    for (const e of events) byRental.set(rentalIdOf(e), [...(byRental.get(rentalIdOf(e)) ?? []), e]);
    await db.write(async (tx) => {
      for (const [rentalId, mine] of byRental) {
        const current = (await findView(tx, rentalId)) ?? empty(rentalId);
        await saveView(tx, mine.reduce(evolve, current));
      }
    });
  }
  return {
    /** One event (and the fallback when a batch fails: it finds the bad entry). */
    project: (envelope: Envelope) => fold([parseDomainEvent(envelope)]),
    /** A batch; a bad event fails the whole batch, which is then retried entry by entry. */
    projectMany: (envelopes: Envelope[]) => fold(envelopes.map(parseDomainEvent)),
  };
}
