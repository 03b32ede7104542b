import { afterEach, describe, expect, setSystemTime, test } from "bun:test";
import { createAttemptLimiter } from "./attempt-limiter.ts";

afterEach(() => void setSystemTime());

describe("the attempt limiter", () => {
  test("refuses a key at its limit until its window ends, then lets it try again", async () => {
    setSystemTime(0);
    const limiter = createAttemptLimiter(3, 60);
    for (let i = 0; i < 2; i++) await limiter.fail("c-1");
    expect(await limiter.retryAfter("c-1")).toBe(0);
    await limiter.fail("c-1");
    expect(await limiter.retryAfter("c-1")).toBe(60);
    setSystemTime(45_500);
    expect(await limiter.retryAfter("c-1")).toBe(15);
    setSystemTime(60_000);
    expect(await limiter.retryAfter("c-1")).toBe(0);
    await limiter.fail("c-1");
    expect(await limiter.retryAfter("c-1")).toBe(0);
  });

  test("counts each key apart, and a reset forgets one", async () => {
    setSystemTime(0);
    const limiter = createAttemptLimiter(1, 60);
    await limiter.fail("c-1");
    expect(await limiter.retryAfter("c-1")).toBe(60);
    expect(await limiter.retryAfter("c-2")).toBe(0);
    await limiter.reset("c-1");
    expect(await limiter.retryAfter("c-1")).toBe(0);
  });
});
