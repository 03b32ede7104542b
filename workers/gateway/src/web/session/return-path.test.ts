import { describe, expect, test } from "bun:test";
import { returnPathOf, safeReturnPath } from "./return-path.ts";

describe("safeReturnPath", () => {
  test("keeps a path of this origin, with its query and fragment", () => {
    expect(safeReturnPath("/")).toBe("/");
    expect(safeReturnPath("/manager")).toBe("/manager");
    expect(safeReturnPath("/mypages/3?lang=ko#timeline")).toBe("/mypages/3?lang=ko#timeline");
    expect(safeReturnPath("/admin/queues/queue/confirmations")).toBe("/admin/queues/queue/confirmations");
  });

  test("sends anything that could leave the site home instead", () => {
    for (const outside of [
      "https://evil.example/", "http://localhost:8088/manager", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
      "javascript:alert(1)", "manager", "", "/\tevil", "/\nLocation: https://evil.example", `/${"a".repeat(3_000)}`,
    ]) {
      expect(safeReturnPath(outside)).toBe("/");
    }
  });

  test("is home when no return path was given", () => {
    expect(safeReturnPath(undefined)).toBe("/");
    expect(safeReturnPath(null)).toBe("/");
  });
});

test("a request's return path is its own path and query, never its host", () => {
  expect(returnPathOf("http://localhost:8088/manager?order=asc")).toBe("/manager?order=asc");
  expect(returnPathOf("http://evil.example//evil.example/x")).toBe("/");
});
