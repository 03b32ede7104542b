import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { port, positiveInt, redisUrl, workerFields } from "./fields.ts";
import { ConfigError, loadConfig } from "./load-config.ts";

const Env = z.object({ ...workerFields("rental", 8081), RATE_PER_HOUR: positiveInt(1000) });

describe("config", () => {
  test("defaults follow the contract", () => {
    expect(loadConfig(Env, {})).toMatchObject({
      PORT: 8081, REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "file:data/rental.db",
      STREAM_PREFIX: "rentalnang", RATE_PER_HOUR: 1000,
    });
  });

  test("a bad value is one line naming the variable", () => {
    expect(() => loadConfig(Env, { PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig(Env, { PORT: "eighty" })).toThrow(/^PORT: .*"eighty"/);
    expect(() => loadConfig(z.object({ REDIS_URL: redisUrl }), { REDIS_URL: "http://x" })).toThrow(/^REDIS_URL:/);
    expect(() => loadConfig(Env, { RATE_PER_HOUR: "-3" })).toThrow(/^RATE_PER_HOUR:/);
  });

  test("PORT=0 means any free port; empty values count as unset", () => {
    expect(loadConfig(z.object({ PORT: port(8081) }), { PORT: "0" }).PORT).toBe(0);
    expect(loadConfig(z.object({ PORT: port(8081) }), { PORT: "" }).PORT).toBe(8081);
  });

  test("the parsed config is frozen", () => {
    expect(Object.isFrozen(loadConfig(Env, {}))).toBe(true);
  });
});
