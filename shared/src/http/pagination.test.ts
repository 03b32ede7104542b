import { describe, expect, test } from "bun:test";
import { intLike } from "./integers.ts";
import { Cursor, encodeCursor, pageRequest, toPage } from "./pagination.ts";
import { ValidationFailed } from "./problem.ts";

describe("pagination and integers", () => {
  test("a cursor round-trips with its order, and a forged one is refused", () => {
    expect(Cursor.parse(encodeCursor(42))).toEqual({ order: "desc", last: 42 });
    expect(Cursor.parse(encodeCursor(42, "asc"))).toEqual({ order: "asc", last: 42 });
    expect(Cursor.safeParse("bm9wZQ").success).toBe(false);
    expect(Cursor.safeParse(Buffer.from("up:3").toString("base64url")).success).toBe(false);
  });

  test("a cursor issued before lists had an order reads as newest first", () => {
    expect(Cursor.parse(Buffer.from("id:7").toString("base64url"))).toEqual({ order: "desc", last: 7 });
  });

  test("a page carries a cursor, in its order, only when more rows exist", () => {
    const newest = [{ id: 5 }, { id: 4 }, { id: 3 }];
    expect(toPage(newest, { limit: 2, order: "desc" }, (r) => r.id)).toEqual({ items: [5, 4], nextCursor: encodeCursor(4, "desc") });
    expect(toPage(newest, { limit: 3, order: "desc" }, (r) => r.id)).toEqual({ items: [5, 4, 3], nextCursor: null });
    const oldest = [{ id: 3 }, { id: 4 }, { id: 5 }];
    expect(toPage(oldest, { limit: 2, order: "asc" }, (r) => r.id)).toEqual({ items: [3, 4], nextCursor: encodeCursor(4, "asc") });
  });

  test("the order is desc unless asked; a cursor alone keeps its own order", () => {
    expect(pageRequest({ limit: 5 })).toEqual({ limit: 5, order: "desc" });
    expect(pageRequest({ limit: 5, order: "asc" })).toEqual({ limit: 5, order: "asc" });
    expect(pageRequest({ limit: 5 }, "asc")).toEqual({ limit: 5, order: "asc" });
    expect(pageRequest({ limit: 5, cursor: { order: "asc", last: 9 } })).toEqual({ limit: 5, order: "asc", after: 9 });
    expect(pageRequest({ limit: 5, order: "desc", cursor: { order: "desc", last: 9 } })).toEqual({ limit: 5, order: "desc", after: 9 });
  });

  test("a cursor used with the other order is refused, naming the cursor, rather than skipping rows", () => {
    const mixed = () => pageRequest({ limit: 5, order: "desc", cursor: { order: "asc", last: 9 } });
    expect(mixed).toThrow(ValidationFailed);
    try {
      mixed();
    } catch (error) {
      expect((error as ValidationFailed).errors).toEqual([{ path: "cursor", message: expect.stringContaining("order=asc") }]);
    }
  });

  test("integers may come as strings of digits, and nothing else", () => {
    const hours = intLike(1, 720);
    expect(hours.parse("3")).toBe(3);
    expect(hours.parse(3)).toBe(3);
    for (const bad of ["3.5", "three", "", 0, 721, 2.5, "-1", null, true]) expect(hours.safeParse(bad).success).toBe(false);
  });
});
