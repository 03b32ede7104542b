import { describe, expect, test } from "bun:test";
import { intLike } from "./integers.ts";
import { Cursor, encodeCursor, toPage } from "./pagination.ts";

describe("pagination and integers", () => {
  test("a cursor round-trips and a forged one is refused", () => {
    expect(Cursor.parse(encodeCursor(42))).toBe(42);
    expect(Cursor.safeParse("bm9wZQ").success).toBe(false);
  });

  test("a page carries a cursor only when more rows exist", () => {
    const rows = [{ id: 5 }, { id: 4 }, { id: 3 }];
    expect(toPage(rows, 2, (r) => r.id)).toEqual({ items: [5, 4], nextCursor: encodeCursor(4) });
    expect(toPage(rows, 3, (r) => r.id)).toEqual({ items: [5, 4, 3], nextCursor: null });
  });

  test("integers may come as strings of digits, and nothing else", () => {
    const hours = intLike(1, 720);
    expect(hours.parse("3")).toBe(3);
    expect(hours.parse(3)).toBe(3);
    for (const bad of ["3.5", "three", "", 0, 721, 2.5, "-1", null, true]) expect(hours.safeParse(bad).success).toBe(false);
  });
});
