import type { Transaction } from "./database.ts";
import { newEventId, type Envelope, type NewEvent } from "../events/envelope.ts";

/** What an event was caused by: a request (correlation id) or another event. */
export interface Cause {
  correlationId: string;
  causationId?: string | null;
  traceparent?: string;
}

/** Builds the envelope a state change records, linked to what caused it. */
export function envelopeFor(event: NewEvent, source: string, cause: Cause): Envelope {
  const id = newEventId();
  return {
    id,
    type: event.type,
    version: event.version,
    occurredAt: new Date().toISOString(),
    source,
    aggregateId: event.aggregateId,
    correlationId: event.correlationId ?? cause.correlationId,
    causationId: event.causationId ?? cause.causationId ?? null,
    ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
    data: event.data,
  };
}

/** Records events in the caller's transaction (docs/architecture.md, 'Outbox'). */
export async function appendToOutbox(tx: Transaction, envelopes: Envelope[]): Promise<void> {
  const now = new Date().toISOString();
  for (const e of envelopes) {
    await tx.execute({
      sql: "INSERT INTO outbox (event_id, envelope, created_at) VALUES (?, ?, ?)",
      args: [e.id, JSON.stringify(e), now],
    });
  }
}
