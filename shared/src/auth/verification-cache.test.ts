import { describe, expect, test } from "bun:test";
import type { Principal } from "./principal.ts";
import { VerificationCache } from "./verification-cache.ts";

const who = (subject: string): Principal => ({ subject, roles: ["customer"], clientId: undefined });

describe("verification cache", () => {
  test("an entry is answered until the token's exp, and not from then on", () => {
    let nowMs = 1_000_000;
    const cache = new VerificationCache(10, () => nowMs);
    cache.set("t", who("c-1"), 1_060);
    expect(cache.get("t")?.subject).toBe("c-1");
    nowMs = 1_059_999;
    expect(cache.get("t")?.subject).toBe("c-1");
    nowMs = 1_060_000;
    expect(cache.get("t")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test("past its bound the least recently used token goes first", () => {
    const cache = new VerificationCache(2, () => 0);
    cache.set("a", who("a"), 100);
    cache.set("b", who("b"), 100);
    cache.get("a");
    cache.set("c", who("c"), 100);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.subject).toBe("a");
    expect(cache.get("c")?.subject).toBe("c");
    expect(cache.size).toBe(2);
  });
});
