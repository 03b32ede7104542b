import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { Health } from "./health.ts";

describe("readiness", () => {
  test("a degraded check is reported as such, and the process stays ready", async () => {
    const health = new Health({
      database: async () => {},
      consumer: async () => ({ group: "g", degraded: true, since: "2026-01-01T00:00:00.000Z", reason: "SQLITE_BUSY" }),
    });
    health.markReady();
    const app = new Hono();
    health.routes(app);
    const res = await app.request("/readyz");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, Record<string, unknown>> };
    expect(body.status).toBe("ready");
    expect(body.checks.database).toEqual({ status: "ok" });
    expect(body.checks.consumer).toMatchObject({ status: "degraded", degraded: true, reason: "SQLITE_BUSY" });
  });

  test("a failing check makes the process unready", async () => {
    const health = new Health({ database: async () => Promise.reject(new Error("gone")) });
    health.markReady();
    const { ok, body } = await health.report();
    expect(ok).toBe(false);
    expect(body.checks.database).toEqual({ status: "down", error: "gone" });
  });
});
