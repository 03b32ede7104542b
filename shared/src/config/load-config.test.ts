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

describe("config errors never print secrets", () => {
  test("credentials inside a URL are masked", () => {
    expect(() => loadConfig(z.object({ REDIS_URL: redisUrl }), { REDIS_URL: "http://ops:hunter2@cache:6379" })).toThrow(
      /^REDIS_URL: .*\(got "http:\/\/ops:\*\*\*@cache:6379"\)$/,
    );
    try {
      loadConfig(z.object({ REDIS_URL: redisUrl }), { REDIS_URL: "http://:hunter2@cache" });
    } catch (error) {
      expect(String(error)).not.toContain("hunter2");
    }
  });

  test("the value of a secret variable is never shown", () => {
    const Secret = z.object({ DATABASE_AUTH_TOKEN: z.string().min(20, "must be at least 20 characters") });
    expect(() => loadConfig(Secret, { DATABASE_AUTH_TOKEN: "hunter2" })).toThrow(/^DATABASE_AUTH_TOKEN: must be at least 20 characters \(got a value that is not shown\)$/);
  });
});
