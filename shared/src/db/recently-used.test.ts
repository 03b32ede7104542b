import { expect, test } from "bun:test";
import { RecentlyUsed } from "./recently-used.ts";

test("an entry used again survives eviction; the least recently used one goes", () => {
  const kept = new RecentlyUsed<string, number>(3);
  kept.set("BEGIN IMMEDIATE", 1);
  kept.set("a", 2);
  kept.set("b", 3);
  expect(kept.get("BEGIN IMMEDIATE")).toBe(1);
  kept.set("c", 4);
  expect(kept.has("BEGIN IMMEDIATE")).toBe(true);
  expect(kept.has("a")).toBe(false);
  expect([kept.get("b"), kept.get("c")]).toEqual([3, 4]);
});

test("setting a kept key again replaces it without evicting another", () => {
  const kept = new RecentlyUsed<string, number>(2);
  kept.set("a", 1);
  kept.set("b", 2);
  kept.set("a", 3);
  expect([kept.get("a"), kept.get("b")]).toEqual([3, 2]);
});
