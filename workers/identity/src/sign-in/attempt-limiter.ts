/** Failed attempts counted in fixed windows, per key; a key at its limit is refused until its window ends. */
export interface AttemptLimiter {
  /** 0 when `key` may try now, else the seconds until it may. */
  retryAfter(key: string): number;
  /** Counts one failure of `key`. */
  fail(key: string): void;
  /** Forgets `key` (a success). */
  reset(key: string): void;
}

/** Keys tracked at most; past it the expired windows are dropped, then the oldest. */
const MAX_KEYS = 100_000;

/**
 * A fixed-window limiter in memory: `limit` failures per `windowSeconds` per key (an account,
 * an address). In memory is enough for one identity replica; with several, each counts its
 * own, so the limit is per replica.
 */
export function createAttemptLimiter(limit: number, windowSeconds: number, now = () => Date.now()): AttemptLimiter {
  const windows = new Map<string, { count: number; endsAt: number }>();
  const current = (key: string) => {
    const window = windows.get(key);
    if (window && window.endsAt <= now()) windows.delete(key);
    return windows.get(key);
  };
  const makeRoom = () => {
    for (const [key, window] of windows) if (window.endsAt <= now()) windows.delete(key);
    while (windows.size >= MAX_KEYS) windows.delete(windows.keys().next().value!);
  };
  return {
    retryAfter(key) {
      const window = current(key);
      return window && window.count >= limit ? Math.max(1, Math.ceil((window.endsAt - now()) / 1000)) : 0;
    },
    fail(key) {
      const window = current(key);
      if (window) window.count += 1;
      else {
        if (windows.size >= MAX_KEYS) makeRoom();
        windows.set(key, { count: 1, endsAt: now() + windowSeconds * 1000 });
      }
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
