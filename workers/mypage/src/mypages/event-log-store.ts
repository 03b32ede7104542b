import type { Row } from "@rentalnang/shared/db/database";
import type { Executor } from "@rentalnang/shared/db/executor";
import { parseDomainEvent, type DomainEvent } from "@rentalnang/shared/events/catalog";
import { rentalIdOf } from "./mypage.ts";

/**
 * The SQL of `mypage_events`, the events the view folded (each once, by id), and of
 * `mypages_before_event_log`, the rows folded before that table existed.
 */

const COLUMNS = [
  "event_id", "rental_id", "type", "version", "source", "occurred_at", "correlation_id", "causation_id", "data", "recorded_at",
] as const;
/** Rows per INSERT: well under SQLite's limit of bound parameters. */
const ROWS_PER_INSERT = 50;

/** Records the events, skipping any already recorded; call it in the fold's transaction. */
export async function recordEvents(tx: Executor, events: readonly DomainEvent[], now = new Date().toISOString()) {
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const chunk = events.slice(i, i + ROWS_PER_INSERT);
    await tx.execute({
      sql: `INSERT INTO mypage_events (${COLUMNS.join(", ")}) VALUES ${chunk.map(() => `(${COLUMNS.map(() => "?").join(", ")})`).join(", ")}
            ON CONFLICT (event_id) DO NOTHING`,
      args: chunk.flatMap((e) => [
        e.id, rentalIdOf(e), e.type, e.version, e.source, e.occurredAt, e.correlationId, e.causationId, JSON.stringify(e.data), now,
      ]),
    });
  }
}

function rowToEvent(r: Row): DomainEvent {
  return parseDomainEvent({
    id: String(r.event_id),
    type: String(r.type),
    version: Number(r.version),
    occurredAt: String(r.occurred_at),
    source: String(r.source),
    aggregateId: String(r.rental_id),
    correlationId: String(r.correlation_id),
    causationId: r.causation_id === null ? null : String(r.causation_id),
    data: JSON.parse(String(r.data)),
  });
}

/** Up to `limit` rental ids the log holds events of, above `after`, ascending. */
export async function loggedRentalIds(tx: Executor, after: number, limit: number): Promise<number[]> {
  const r = await tx.execute({
    sql: "SELECT DISTINCT rental_id FROM mypage_events WHERE rental_id > ? ORDER BY rental_id LIMIT ?",
    args: [after, limit],
  });
  return r.rows.map((row) => Number(row.rental_id));
}

/** The logged events of the rentals in (after, upTo], in the order they occurred. */
export async function loggedEventsOf(tx: Executor, after: number, upTo: number): Promise<DomainEvent[]> {
  const r = await tx.execute({
    sql: `SELECT ${COLUMNS.join(", ")} FROM mypage_events WHERE rental_id > ? AND rental_id <= ?
          ORDER BY rental_id, occurred_at, event_id`,
    args: [after, upTo],
  });
  return r.rows.map(rowToEvent);
}

/** The logged events of one rental (in no particular order: timeline.ts orders them). */
export async function loggedEventsOfRental(tx: Executor, rentalId: number): Promise<DomainEvent[]> {
  const r = await tx.execute({ sql: `SELECT ${COLUMNS.join(", ")} FROM mypage_events WHERE rental_id = ?`, args: [rentalId] });
  return r.rows.map(rowToEvent);
}

/** How many view rows were folded before the log existed (their events are not in it). */
export async function countRowsBeforeLog(tx: Executor): Promise<number> {
  const r = await tx.execute("SELECT count(*) AS n FROM mypages_before_event_log");
  return Number(r.rows[0]?.n ?? 0);
}

/** Forgets them: once the streams are replayed from their very start, the log holds their events. */
export async function forgetRowsBeforeLog(tx: Executor): Promise<void> {
  await tx.execute("DELETE FROM mypages_before_event_log");
}
