import type { Database } from "@rentalnang/shared/db/database";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { empty, evolve, rentalIdOf } from "./mypage.ts";
import { findMypage, saveMypage } from "./mypage-store.ts";

/**
 * Folds saga events into their rentals' rows: read, merge, write, in one transaction for a
 * whole batch (the consumer hands over up to a batch of entries at once).
 */
export async function projectEvents(db: Database, events: DomainEvent[]): Promise<void> {
  const byRental = new Map<number, DomainEvent[]>();
  for (const e of events) byRental.set(rentalIdOf(e), [...(byRental.get(rentalIdOf(e)) ?? []), e]);
  await db.write(async (tx) => {
    for (const [rentalId, mine] of byRental) {
      const current = (await findMypage(tx, rentalId)) ?? empty(rentalId);
      await saveMypage(tx, mine.reduce(evolve, current));
    }
  });
}
