/** Since when, and why, a consumer's handlers cannot reach a dependency. */
export interface DegradedState {
  since: Date;
  reason: string;
}

/**
 * Tracks whether a consumer is degraded: its handlers fail because a dependency is away
 * (the caller's `isTransient` says so). It stays ready — reads and health keep working, and
 * the entries wait — but says so in `/readyz` and counts the seconds spent degraded.
 */
export class DegradedClock {
  private current: DegradedState | undefined;
  private pastMs = 0;

  /** A transient failure; returns true when this one starts the degraded period. */
  mark(reason: string): boolean {
    const starts = this.current === undefined;
    this.current = { since: this.current?.since ?? new Date(), reason };
    return starts;
  }

  /** A handler succeeded: the dependency is back. Returns true when this ends a degraded period. */
  clear(): boolean {
    if (!this.current) return false;
    this.pastMs += Date.now() - this.current.since.getTime();
    this.current = undefined;
    return true;
  }

  get state(): DegradedState | undefined {
    return this.current;
  }

  /** Seconds spent degraded since the process started, the current period included. */
  seconds(): number {
    const ongoing = this.current ? Date.now() - this.current.since.getTime() : 0;
    return (this.pastMs + ongoing) / 1000;
  }
}
