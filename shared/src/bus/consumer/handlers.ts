import type { Envelope } from "../../events/envelope.ts";

/** What a handler is told about the entry an event came in. */
export interface Delivery {
  stream: string;
  entryId: string;
  /** How many times the group has handed this entry out, this time included. */
  deliveries: number;
}

export type EventHandler = (event: Envelope, delivery: Delivery) => Promise<void>;

/**
 * Handles a whole batch at once (one transaction for many events). If it fails with an
 * error of its own, the batch is handled again entry by entry, to find the culprit.
 */
export type BatchHandler = (events: Envelope[]) => Promise<void>;

/**
 * The event types a consumer's handlers act on. An entry of any other type is acked as soon
 * as its envelope is read: no attempt is taken for it and no handler called, since an event
 * nobody handles cannot fail (docs/architecture.md, 'Stream mechanics').
 */
export type Accepted = readonly string[];

/** Says whether an error means "a dependency is away" (retry later) rather than "this event fails". */
export type TransientTest = (error: unknown) => boolean;
