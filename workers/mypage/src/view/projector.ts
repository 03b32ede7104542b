import type { Database } from "@rentalnang/shared/db/database";
import { parseDomainEvent } from "@rentalnang/shared/events/catalog";
import type { Envelope } from "@rentalnang/shared/events/envelope";
import { empty, evolve, rentalIdOf } from "./mypage.ts";
import { findView, saveView } from "./mypage-store.ts";

/** Folds every saga event into its rental's row (read, merge, write in one transaction). */
export function createProjector(db: Database) {
  return async function project(envelope: Envelope): Promise<void> {
    const event = parseDomainEvent(envelope);
    const rentalId = rentalIdOf(event);
    await db.write(async (tx) => {
      const current = (await findView(tx, rentalId)) ?? empty(rentalId);
      await saveView(tx, evolve(current, event));
    });
  };
}
