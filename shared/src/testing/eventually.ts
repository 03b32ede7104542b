const DEFAULT_TIMEOUT_MS = 15_000;
const POLL_MS = 50;
const SHOWN_CHARS = 300;

/** What a probe returns while the awaited thing has not happened yet. */
export type NotYet = undefined | null | false;

export interface EventuallyOptions {
  /** Named in the timeout message; the probe's own source text when not given. */
  what?: string;
  timeoutMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined, null or false, and resolves
 * with that: `eventually(() => seen.length === 2)` waits for a condition,
 * `eventually(async () => (await get(url)).status === 200 && body)` for a value. A probe that
 * throws counts as "not yet" (a process may still be starting). Tests wait for conditions;
 * they never sleep for a guessed time.
 */
export async function eventually<T>(
  probe: () => T | NotYet | Promise<T | NotYet>,
  { what, timeoutMs = DEFAULT_TIMEOUT_MS }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown } | undefined;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      last = { value };
    } catch (error) {
      last = { error };
    }
    await Bun.sleep(POLL_MS);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what ?? sourceOf(probe)}${lastSeen(last)}`);
}

function sourceOf(probe: () => unknown): string {
  return shorten(String(probe).replace(/\s+/g, " "));
}

function lastSeen(last: { value: unknown } | { error: unknown } | undefined): string {
  if (!last) return " (the probe never answered)";
  if ("error" in last) return `; the probe last threw: ${shorten(String(last.error))}`;
  return `; the probe last returned ${shorten(Bun.inspect(last.value))}`;
}

function shorten(text: string): string {
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
