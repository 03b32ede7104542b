import type { Database } from "@rentalnang/shared/db/database";
import { parseDomainEvent } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { projectEvents } from "../mypages/project-events.ts";

/** mypage reads every stream and folds every event into the customer's view (no inbox needed). */
export function createEventHandler(deps: { db: Database; committed?: (rentalIds: number[]) => void }) {
  return {
    /** One event (and the fallback when a batch fails: it finds the bad entry). */
    handle: (envelope: Envelope) => projectEvents(deps.db, [parseDomainEvent(envelope)], deps.committed),
    /** A batch; a bad event fails the whole batch, which is then retried entry by entry. */
    handleMany: (envelopes: Envelope[]) => projectEvents(deps.db, envelopes.map(parseDomainEvent), deps.committed),
  };
}
