import { describe, expect, test } from "bun:test";
import { createAttemptLimiter } from "./attempt-limiter.ts";

describe("the attempt limiter", () => {
  test("refuses a key at its limit until its window ends, then lets it try again", () => {
    let now = 0;
    const limiter = createAttemptLimiter(3, 60, () => now);
    for (let i = 0; i < 2; i++) limiter.fail("c-1");
    expect(limiter.retryAfter("c-1")).toBe(0);
    limiter.fail("c-1");
    expect(limiter.retryAfter("c-1")).toBe(60);
    now = 45_500;
    expect(limiter.retryAfter("c-1")).toBe(15);
    now = 60_000;
    expect(limiter.retryAfter("c-1")).toBe(0);
    limiter.fail("c-1");
    expect(limiter.retryAfter("c-1")).toBe(0);
  });

  test("counts each key apart, and a reset forgets one", () => {
    const limiter = createAttemptLimiter(1, 60, () => 0);
    limiter.fail("c-1");
    expect(limiter.retryAfter("c-1")).toBe(60);
    expect(limiter.retryAfter("c-2")).toBe(0);
    limiter.reset("c-1");
    expect(limiter.retryAfter("c-1")).toBe(0);
  });
});
