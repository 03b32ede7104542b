import type { Database } from "@rentalnang/shared/db/database";
import type { DomainEvent } from "@rentalnang/shared/events/catalog";
import { recordEvents } from "./event-log-store.ts";
import { empty, evolve, rentalIdOf } from "./mypage.ts";
import { findMypages, saveMypages, type StoredMypage } from "./mypage-store.ts";

/**
 * Folds saga events into their rentals' rows and records them in the view's event log: read,
 * merge, write, in one transaction for a whole batch (the consumer hands over up to a batch
 * of entries at once), each step one statement for all the batch's rentals. The log and the rows commit together, so refolding the log (rebuild)
 * gives what the live fold gave. A redelivered event folds again harmlessly and is logged once.
 * `committed` hears which rows changed, once they are committed (it wakes the readers parked on them).
 */
export async function projectEvents(db: Database, events: DomainEvent[], committed?: (rentalIds: number[]) => void): Promise<void> {
  const byRental = Map.groupBy(events, rentalIdOf);
  const changed = await db.write(async (tx) => {
    await recordEvents(tx, events);
    const rows = await findMypages(tx, [...byRental.keys()]);
    const changedRows: StoredMypage[] = [];
    for (const [rentalId, mine] of byRental) {
      const current = rows.get(rentalId);
      const next = mine.reduce(evolve, current?.mypage ?? empty(rentalId));
      // Stringified once: compared with the stored text (a new row has none) and written as is.
      const facts = JSON.stringify(next);
      if (facts !== current?.facts) changedRows.push({ mypage: next, facts });
    }
    await saveMypages(tx, changedRows);
    return changedRows.map((row) => row.mypage.rentalId);
  });
  // After the commit, so that a woken reader reads the new row.
  committed?.(changed);
}
