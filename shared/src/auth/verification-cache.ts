import type { Principal } from "./principal.ts";

/**
 * Principals of tokens already verified, keyed by the token string, so a client that sends
 * the same token again skips the signature check. Bounded (the least recently used goes
 * first) and never past a token's `exp`; only successes are kept.
 */
export class VerificationCache {
  // A Map iterates in insertion order: re-inserting on each hit keeps the oldest first.
  readonly #entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(readonly maxEntries: number, private readonly now: () => number = Date.now) {}

  get(token: string): Principal | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    this.#entries.delete(token);
    if (this.now() >= entry.expiresAtMs) return undefined;
    this.#entries.set(token, entry);
    return entry.principal;
  }

  /** Keeps `principal` for `token` until `expSec` (a JWT `exp`, in seconds since the epoch). */
  set(token: string, principal: Principal, expSec: number): void {
    this.#entries.delete(token);
    this.#entries.set(token, { principal, expiresAtMs: expSec * 1000 });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value!;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
