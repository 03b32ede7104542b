import { describe, expect, test } from "bun:test";
import { longPollSeconds } from "./web-pages.ts";

describe("the live status's wait at mypage", () => {
  test("is mypage's longest (5 s) under the default upstream timeout, a second under a shorter one, and never under a second", () => {
    expect(longPollSeconds(10_000)).toBe(5);
    expect(longPollSeconds(4_000)).toBe(3);
    expect(longPollSeconds(1_500)).toBe(1);
  });
});
