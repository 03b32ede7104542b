import { afterAll, describe, expect, test } from "bun:test";
import { freePort } from "../testing/redis-server.ts";
import { UpstreamPool } from "./upstream-pool.ts";

const servers = ["a", "b"].map((name) => Bun.serve({ port: 0, fetch: () => new Response(name) }));
const [a, b] = servers.map((s) => `http://127.0.0.1:${s.port}`) as [string, string];
afterAll(() => servers.forEach((s) => s.stop(true)));

const ask = (pool: UpstreamPool) => pool.attempt(async (base) => (await fetch(`${base}/`)).text());

describe("UpstreamPool", () => {
  test("asks its replicas in turn", async () => {
    const pool = new UpstreamPool([a, b]);
    expect([await ask(pool), await ask(pool), await ask(pool), await ask(pool)]).toEqual(["a", "b", "a", "b"]);
  });

  test("a refused connection is asked again on the next replica, once", async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const pool = new UpstreamPool([dead, a]);
    expect([await ask(pool), await ask(pool), await ask(pool)]).toEqual(["a", "a", "a"]);
    const tried: string[] = [];
    const allDead = new UpstreamPool([dead, dead, dead]);
    const failed = await allDead.attempt(async (base) => {
      tried.push(base);
      return fetch(base);
    }).catch((e) => e);
    expect((failed as { code?: string }).code).toMatch(/ECONNREFUSED|ConnectionRefused/);
    expect(tried).toHaveLength(2);
  });

  test("any other failure is not retried: the replica may have received the request", async () => {
    const pool = new UpstreamPool([a, b]);
    let calls = 0;
    const failed = await pool.attempt(async () => {
      calls++;
      throw new Error("reset by peer");
    }).catch((e) => e);
    expect((failed as Error).message).toBe("reset by peer");
    expect(calls).toBe(1);
  });

  test("a single URL is a pool of one, and an empty list is refused", async () => {
    expect(await ask(new UpstreamPool(b))).toBe("b");
    expect(() => new UpstreamPool([])).toThrow("at least one URL");
  });
});
