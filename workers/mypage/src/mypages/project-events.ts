import type { Database } from "@rentalnang/shared/db/database";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { recordEvents } from "./event-log-store.ts";
import { empty, evolve, rentalIdOf } from "./mypage.ts";
import { findMypage, saveMypage } from "./mypage-store.ts";

/**
 * Folds saga events into their rentals' rows and records them in the view's event log: read,
 * merge, write, in one transaction for a whole batch (the consumer hands over up to a batch
 * of entries at once). The log and the rows commit together, so refolding the log (rebuild)
 * gives what the live fold gave. A redelivered event folds again harmlessly and is logged once.
 */
export async function projectEvents(db: Database, events: DomainEvent[]): Promise<void> {
  const byRental = Map.groupBy(events, rentalIdOf);
  await db.write(async (tx) => {
    await recordEvents(tx, events);
    for (const [rentalId, mine] of byRental) {
      const current = (await findMypage(tx, rentalId)) ?? empty(rentalId);
      await saveMypage(tx, mine.reduce(evolve, current));
    }
  });
}
