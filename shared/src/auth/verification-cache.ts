import type { Principal } from "./principal.ts";

/**
 * Principals of tokens already verified, so a client that sends the same token again skips
 * the signature check. Keyed by the token's SHA-256, not the token: a bounded, small key that
 * is no bearer credential itself. Bounded (the least recently used goes first) and never
 * past a token's `exp`; only successes are kept.
 */
export class VerificationCache {
  // A Map iterates in insertion order: re-inserting on each hit keeps the oldest first.
  readonly #entries = new Map<string, { principal: Principal; expiresAtMs: number }>();

  constructor(readonly maxEntries: number, private readonly now: () => number = Date.now) {}

  get(token: string): Principal | undefined {
    const key = keyOf(token);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (this.now() >= entry.expiresAtMs) return undefined;
    this.#entries.set(key, entry);
    return entry.principal;
  }

  /** Keeps `principal` for `token` until `expSec` (a JWT `exp`, in seconds since the epoch). */
  set(token: string, principal: Principal, expSec: number): void {
    const key = keyOf(token);
    this.#entries.delete(key);
    this.#entries.set(key, { principal, expiresAtMs: expSec * 1000 });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value!;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}

const keyOf = (token: string) => Bun.SHA256.hash(token, "base64");
