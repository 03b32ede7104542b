import type { Database, Transaction } from "./database.ts";
import type { Envelope } from "../events/envelope.ts";
import { appendToOutbox } from "./outbox.ts";

/**
 * Applies an event's effects at most once per consumer (docs/architecture.md, 'Inbox').
 *
 * The `(consumer, event id)` record, the effects and the events they cause commit in one
 * transaction, so a redelivery after a crash finds the record and does nothing. Returns
 * false for a duplicate. The caller acks the stream entry only after this resolves.
 */
export async function handleOnce(
  db: Database,
  consumer: string,
  event: Envelope,
  effects: (tx: Transaction) => Promise<Envelope[] | void>,
): Promise<boolean> {
  return db.write(async (tx) => {
    const inserted = await tx.execute({
      sql: "INSERT INTO inbox (consumer, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      args: [consumer, event.id, new Date().toISOString()],
    });
    if (inserted.rowsAffected === 0) return false;
    const caused = await effects(tx);
    if (caused && caused.length > 0) await appendToOutbox(tx, caused);
    return true;
  });
}
