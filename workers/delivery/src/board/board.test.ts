import { describe, expect, test } from "bun:test";
import { boardRoutes } from "./board.ts";

describe("queue board", () => {
  test("without credentials configured it stays shut and says why", async () => {
    for (const creds of [{}, { user: "admin" }, { password: "pw" }]) {
      const res = await boardRoutes({ queues: [], ...creds }).request("/");
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(((await res.json()) as { detail: string }).detail).toContain("set BOARD_USER and BOARD_PASSWORD");
    }
  });

  test("with credentials it asks for them", async () => {
    const res = await boardRoutes({ queues: [], user: "admin", password: "pw" }).request("/");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toStartWith("Basic");
  });
});
