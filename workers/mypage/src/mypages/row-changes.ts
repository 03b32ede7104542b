/**
 * Readers parked on a mypage row, keyed by rental id, and woken when a fold commits a change
 * to it (on this process, or on another replica through Redis: row-changes-relay.ts). A wake
 * only tells a reader to read the row again; the row in the database stays the truth, so a
 * spurious wake costs one read and a missed one at most the reader's re-read interval.
 */
export class RowChanges {
  readonly #waiters = new Map<number, Set<() => void>>();
  #draining = false;

  /** Whether the process is draining: parked readers are answered at once, and new ones do not park. */
  get draining() {
    return this.#draining;
  }

  /** How many readers are parked (for tests and metrics). */
  get parked() {
    let n = 0;
    for (const set of this.#waiters.values()) n += set.size;
    return n;
  }

  /**
   * Registers interest in a row before the reader looks at it (so a commit between the read and
   * the park is not missed). `changed` resolves at the next change, or at once when draining.
   */
  watch(rentalId: number): { changed: Promise<void>; close: () => void } {
    const { promise, resolve } = Promise.withResolvers<void>();
    if (this.#draining) resolve();
    const set = this.#waiters.get(rentalId) ?? new Set();
    set.add(resolve);
    this.#waiters.set(rentalId, set);
    const close = () => {
      set.delete(resolve);
      if (set.size === 0 && this.#waiters.get(rentalId) === set) this.#waiters.delete(rentalId);
    };
    return { changed: promise, close };
  }

  /** Wakes the readers of these rows. */
  notify(rentalIds: Iterable<number>) {
    for (const id of rentalIds) for (const wake of this.#waiters.get(id) ?? []) wake();
  }

  /** Answers every parked reader now and parks no more: the process is going away. */
  drain() {
    this.#draining = true;
    for (const set of this.#waiters.values()) for (const wake of set) wake();
  }
}
