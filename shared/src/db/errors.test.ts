import { describe, expect, test } from "bun:test";
import { isRedisUnavailable } from "../bus/redis.ts";
import { isDatabaseUnavailable } from "./errors.ts";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("which errors mean a dependency is away", () => {
  test("libSQL: busy, locked, I/O, unreachable server", () => {
    expect(isDatabaseUnavailable(withCode("SQLITE_BUSY: database is locked", "SQLITE_BUSY"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("disk I/O error", "SQLITE_IOERR_WRITE"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("stream closed", "HRANA_WEBSOCKET_ERROR"))).toBe(true);
    expect(isDatabaseUnavailable(withCode("502", "SERVER_ERROR"))).toBe(true);
    expect(isDatabaseUnavailable(new TypeError("fetch failed"))).toBe(true);
  });

  test("libSQL: a wrong statement or a constraint is the caller's own error", () => {
    expect(isDatabaseUnavailable(withCode("UNIQUE constraint failed", "SQLITE_CONSTRAINT"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("no such table: rentals", "SQLITE_ERROR"))).toBe(false);
    expect(isDatabaseUnavailable("SQLITE_BUSY")).toBe(false);
  });

  test("Redis and the network: refused, reset, timed out, closed", () => {
    expect(isRedisUnavailable(withCode("connect ECONNREFUSED 127.0.0.1:6379", "ECONNREFUSED"))).toBe(true);
    expect(isRedisUnavailable(new Error("Connection is closed."))).toBe(true);
    expect(isRedisUnavailable(new Error("Command timed out"))).toBe(true);
    expect(isRedisUnavailable(new Error("WRONGTYPE Operation against a key holding the wrong kind of value"))).toBe(false);
    expect(isRedisUnavailable(withCode("UNIQUE constraint failed", "SQLITE_CONSTRAINT"))).toBe(false);
  });
});
