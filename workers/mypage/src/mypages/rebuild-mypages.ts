import type { Database } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";
import { countRowsBeforeLog, loggedEventsOf, loggedRentalIds } from "./event-log-store.ts";
import { empty, evolve, rentalIdOf } from "./mypage.ts";
import { findMypages, saveMypages, toStored, type StoredMypage } from "./mypage-store.ts";

/** Rentals refolded per transaction: short enough not to hold the writer long. */
const RENTALS_PER_TRANSACTION = 500;

export type RebuildOutcome =
  | { kind: "rebuilt"; deleted: number; written: number; events: number }
  | { kind: "refused-rows-before-log"; rows: number };

/**
 * Rebuilds the view from its own event log (`mypage_events`), not from the streams, which
 * keep only what some group has not acked yet.
 *
 * Rentals are taken in id order, a few hundred per transaction; each transaction drops the
 * rows of its id range and writes them again folded from the logged events. A reader sees
 * every row throughout (old or rebuilt), and a running mypage may go on folding: its event
 * and its row commit together, so it lands either before the range's transaction (and is in
 * the log the range refolds) or after it (and folds onto the rebuilt row). Rows with no
 * logged event (nothing can rebuild them) are dropped too.
 *
 * Rows folded before the log existed have no events in it: then it refuses, unless
 * `keepRows`, which folds the log onto the rows as they are and drops nothing.
 */
export function createRebuildMypages(deps: { db: Database }) {
  return async function rebuildMypages(o: { keepRows?: boolean; perTransaction?: number; onRound?: (rentals: number) => void } = {}): Promise<RebuildOutcome> {
    const keepRows = o.keepRows ?? false;
    const rowsBeforeLog = await countRowsBeforeLog(deps.db);
    if (rowsBeforeLog > 0 && !keepRows) return { kind: "refused-rows-before-log", rows: rowsBeforeLog };
    const total = { kind: "rebuilt" as const, deleted: 0, written: 0, events: 0 };
    let after = 0;
    for (;;) {
      const round = await deps.db.write((tx) => refoldRange(tx, after, o.perTransaction ?? RENTALS_PER_TRANSACTION, keepRows));
      total.deleted += round.deleted;
      total.written += round.written;
      total.events += round.events;
      o.onRound?.(round.written);
      if (round.upTo === undefined) return total;
      after = round.upTo;
    }
  };
}

/** Refolds the next `limit` logged rentals after `after`; the last round (upTo undefined) also drops the rows past them. */
async function refoldRange(tx: Executor, after: number, limit: number, keepRows: boolean) {
  const ids = await loggedRentalIds(tx, after, limit);
  const upTo = ids.length === limit ? ids.at(-1)! : undefined;
  const last = upTo ?? Number.MAX_SAFE_INTEGER;
  const events = await loggedEventsOf(tx, after, last);
  const deleted = keepRows
    ? 0
    : (await tx.execute({ sql: "DELETE FROM mypages WHERE rental_id > ? AND rental_id <= ?", args: [after, last] })).rowsAffected;
  const byRental = Map.groupBy(events, rentalIdOf);
  const kept = keepRows ? await findMypages(tx, [...byRental.keys()]) : new Map<number, StoredMypage>();
  await saveMypages(tx, [...byRental].map(([rentalId, mine]) => toStored(mine.reduce(evolve, kept.get(rentalId)?.mypage ?? empty(rentalId)))));
  return { upTo, deleted, written: ids.length, events: events.length };
}
