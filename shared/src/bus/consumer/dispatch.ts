import type { Envelope } from "../../events/envelope.ts";
import { withLogContext } from "../../log/context.ts";
import type { StreamEntry } from "../entries.ts";
import type { BatchHandler, EventHandler, TransientTest } from "./handlers.ts";

export interface Dispatchable {
  entry: StreamEntry;
  event: Envelope;
  deliveries: number;
}

/** How one entry's handling ended: the error, if any, is for the caller to classify. */
export type Outcome = { ok: true } | { ok: false; error: unknown };

export interface Handlers {
  handle: EventHandler;
  handleMany?: BatchHandler | undefined;
  isTransient: TransientTest;
}

/**
 * Runs the handlers over a batch: the batch handler first when there is one and the batch
 * has more than one entry; if it fails with an error of its own, one of the entries is at
 * fault and each is handled alone, in stream order. If it fails because a dependency is away,
 * every entry fails with that error (handling them one by one would fail the same way).
 */
export async function dispatch(items: Dispatchable[], h: Handlers): Promise<Outcome[]> {
  if (h.handleMany && items.length > 1) {
    try {
      await h.handleMany(items.map((i) => i.event));
      return items.map(() => ({ ok: true }));
    } catch (error) {
      if (h.isTransient(error)) return items.map(() => ({ ok: false, error }));
    }
  }
  const outcomes: Outcome[] = [];
  for (const item of items) outcomes.push(await handleOne(item, h.handle));
  return outcomes;
}

async function handleOne({ entry, event, deliveries }: Dispatchable, handle: EventHandler): Promise<Outcome> {
  const context = { correlationId: event.correlationId, eventId: event.id, eventType: event.type };
  try {
    await withLogContext(context, () => handle(event, { stream: entry.stream, entryId: entry.id, deliveries }));
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}
