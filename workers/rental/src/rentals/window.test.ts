import { describe, expect, test } from "bun:test";
import { chooseWindow, hasStarted, nextFullHour, overlaps, windowFrom, type Window } from "./window.ts";

const NOW = Date.parse("2026-03-10T09:20:00.000Z");
const at = (iso: string) => Date.parse(iso);
const w = (start: string, end: string): Window => ({ startAt: `2026-03-10T${start}:00.000Z`, endAt: `2026-03-10T${end}:00.000Z` });

describe("a window", () => {
  test("overlapping windows overlap, in either order", () => {
    expect(overlaps(w("10:00", "13:00"), w("12:00", "14:00"))).toBe(true);
    expect(overlaps(w("12:00", "14:00"), w("10:00", "13:00"))).toBe(true);
  });

  test("touching windows do not: the end is not part of a window", () => {
    expect(overlaps(w("10:00", "12:00"), w("12:00", "14:00"))).toBe(false);
    expect(overlaps(w("12:00", "14:00"), w("10:00", "12:00"))).toBe(false);
  });

  test("a contained window overlaps its container, and equal windows overlap", () => {
    expect(overlaps(w("10:00", "16:00"), w("11:00", "12:00"))).toBe(true);
    expect(overlaps(w("11:00", "12:00"), w("10:00", "16:00"))).toBe(true);
    expect(overlaps(w("10:00", "11:00"), w("10:00", "11:00"))).toBe(true);
  });

  test("disjoint windows do not overlap", () => {
    expect(overlaps(w("08:00", "09:00"), w("10:00", "11:00"))).toBe(false);
  });

  test("without a start it begins at the next full hour and lasts rentHour hours", () => {
    expect(chooseWindow(undefined, 3, NOW)).toEqual({ kind: "window", window: { startAt: "2026-03-10T10:00:00.000Z", endAt: "2026-03-10T13:00:00.000Z" } });
    expect(nextFullHour(at("2026-03-10T10:00:00.000Z"))).toBe(at("2026-03-10T11:00:00.000Z"));
    expect(nextFullHour(at("2026-12-31T23:59:59.999Z"))).toBe(at("2027-01-01T00:00:00.000Z"));
  });

  test("a start given in another offset is kept as the same instant, in UTC", () => {
    expect(chooseWindow("2026-03-10T20:00:00+09:00", 1, NOW)).toEqual({ kind: "window", window: w("11:00", "12:00") });
  });

  test("a start up to five minutes in the past is taken; earlier is out of bounds", () => {
    expect(chooseWindow("2026-03-10T09:15:00Z", 1, NOW).kind).toBe("window");
    expect(chooseWindow("2026-03-10T09:14:59Z", 1, NOW)).toMatchObject({ kind: "out-of-bounds", detail: expect.stringContaining("past") });
  });

  test("a start up to 365 days ahead is taken; later is out of bounds", () => {
    const limit = NOW + 365 * 24 * 3_600_000;
    expect(chooseWindow(new Date(limit).toISOString(), 720, NOW).kind).toBe("window");
    expect(chooseWindow(new Date(limit + 1000).toISOString(), 1, NOW)).toMatchObject({ kind: "out-of-bounds", detail: expect.stringContaining("365") });
  });

  test("a window has started from its first instant on", () => {
    const win = windowFrom(at("2026-03-10T10:00:00.000Z"), 2);
    expect(hasStarted(win, at("2026-03-10T09:59:59.999Z"))).toBe(false);
    expect(hasStarted(win, at("2026-03-10T10:00:00.000Z"))).toBe(true);
  });
});
