import { ZodError } from "zod";
import { UnknownEventError } from "../../events/catalog.ts";

/** Thrown by a handler for an event that can never succeed: it goes to dead letters at once. */
export class PoisonEventError extends Error {
  override name = "PoisonEventError";
}

/** A failure no retry can fix: the event itself is wrong (bad data, unknown type). */
export function isPoison(error: unknown): boolean {
  return error instanceof PoisonEventError || error instanceof ZodError || error instanceof UnknownEventError;
}

/** The one line a dead letter or a log says about why a handler failed. */
export function describeFailure(error: unknown): string {
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return `bad event data: ${issue?.path.join(".")} ${issue?.message}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
