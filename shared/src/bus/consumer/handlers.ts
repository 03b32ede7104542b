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

/** Says whether an error means "a dependency is away" (retry later) rather than "this event fails". */
export type TransientTest = (error: unknown) => boolean;
