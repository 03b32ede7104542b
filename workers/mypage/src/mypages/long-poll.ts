import { createHash } from "node:crypto";
import type { RowChanges } from "./row-changes.ts";

/**
 * Conditional and waiting reads of one mypage row: its ETag, `If-None-Match`, and
 * `Prefer: wait=N` (RFC 7240), which parks the reader until the row exists or changes.
 */

/** The longest wait granted: well under the gateway's upstream timeout (10 s by default). */
export const MAX_WAIT_SECONDS = 5;
/** A parked reader reads the row again this often even without a wake (a lost pub/sub message). */
export const REREAD_MS = 1_000;

/**
 * The wait asked for by `Prefer: wait=N`, clamped to [0, MAX_WAIT_SECONDS]; undefined when
 * none was asked (or it does not parse). Decimals are allowed: `wait=0.5`.
 */
export function preferredWait(prefer: string | undefined): number | undefined {
  if (!prefer) return undefined;
  for (const part of prefer.split(",")) {
    const m = /^\s*wait\s*=\s*"?(\d+(?:\.\d+)?)"?\s*(?:;.*)?$/i.exec(part);
    if (m) return Math.min(Number(m[1]), MAX_WAIT_SECONDS);
  }
  return undefined;
}

/**
 * A strong ETag from the representation itself: the same on every replica, and never the same
 * for two states of a row, since a row's facts only ever grow (mypage.ts).
 */
export function etagOf(body: unknown): string {
  return `"${createHash("sha256").update(JSON.stringify(body)).digest("base64url").slice(0, 22)}"`;
}

/** Whether `If-None-Match` names this ETag (weak comparison, as RFC 9110 asks for GET), or is `*`. */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

/** What one look at the row gives: an answer, or "not yet" (the caller may wait and look again). */
export type Look<A> = { done: true; answer: A } | { done: false; answer: A };

/**
 * Looks at the row, and while the look says "not yet" and time is left, parks until the fold
 * changes the row (woken by `changes`), a re-read is due, the client goes away, or the process
 * drains; then looks again. The last look's answer is the reply.
 */
export async function lookUntil<A>(
  o: { changes: RowChanges; rentalId: number; waitMs: number; signal?: AbortSignal },
  look: () => Promise<Look<A>>,
): Promise<A> {
  const deadline = performance.now() + o.waitMs;
  // One listener for the whole wait, however many times it looks again.
  const abort = abortOf(o.signal);
  try {
    for (;;) {
      const watch = o.changes.watch(o.rentalId);
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const seen = await look();
        const left = deadline - performance.now();
        if (seen.done || left <= 0 || o.changes.draining || o.signal?.aborted) return seen.answer;
        await Promise.race([
          watch.changed,
          abort.aborted,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.min(left, REREAD_MS));
          }),
        ]);
      } finally {
        clearTimeout(timer);
        watch.close();
      }
    }
  } finally {
    abort.stop();
  }
}

/** A promise that settles when the signal aborts (never, without one), and `stop` to drop its listener. */
function abortOf(signal: AbortSignal | undefined): { aborted: Promise<void>; stop: () => void } {
  const { promise: aborted, resolve } = Promise.withResolvers<void>();
  const onAbort = () => resolve();
  signal?.addEventListener("abort", onAbort, { once: true });
  return { aborted, stop: () => signal?.removeEventListener("abort", onAbort) };
}
