import { parseDomainEvent, type DomainEvent, type EventType } from "../events/catalog.ts";
import type { Envelope } from "../events/envelope.ts";

/** A parsed domain event of one type, its `data` typed by the catalog. */
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/**
 * What a consumer does with each type it acts on: the function gets the event narrowed to its
 * type, and the envelope as read (for `handleOnce`, which keys the inbox by its id).
 */
export type HandlersByType = { [T in EventType]?: (event: EventOf<T>, envelope: Envelope) => Promise<void> };

/**
 * A consumer's `handle` and `accepts` from one map, so the two cannot drift: the types it
 * accepts are the map's keys, and a type is let through by the consumer exactly when there is
 * a function for it. `handle` parses the envelope first, so an unknown `type@version` or a
 * payload failing its schema still throws (a poison entry); a known type with no function is
 * left alone (the consumer acks it unhandled, having never passed it in). `handleParsed` is
 * `handle` for an event the caller has already parsed (a batch handler parses each once).
 */
export function handlerByType(map: HandlersByType): {
  accepts: readonly EventType[];
  handle: (envelope: Envelope) => Promise<void>;
  handleParsed: (event: DomainEvent, envelope: Envelope) => Promise<void>;
} {
  // Widened to look each up by the parsed event's type: the function found under a type is
  // only ever called with an event of that type.
  const handlers = map as Partial<Record<EventType, (event: DomainEvent, envelope: Envelope) => Promise<void>>>;
  async function handleParsed(event: DomainEvent, envelope: Envelope) {
    await handlers[event.type]?.(event, envelope);
  }
  return {
    accepts: (Object.keys(handlers) as EventType[]).filter((type) => handlers[type] !== undefined),
    async handle(envelope) {
      await handleParsed(parseDomainEvent(envelope), envelope);
    },
    handleParsed,
  };
}
