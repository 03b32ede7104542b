import { expect, test } from "bun:test";
import { statSync } from "node:fs";
import { cleanupEach } from "../testing/cleanup.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { ensureLocalRedisPassword, redisPasswordFile, resolveRedisUrl } from "./local-redis.ts";

const cleanup = cleanupEach();

test("the launcher's password is made once, readable by its owner only, and then found by every command", () => {
  const dir = cleanup.use(tempDir("local-redis")).dir;
  expect(resolveRedisUrl({ DATA_DIR: dir })).toBe("redis://127.0.0.1:6379");
  const password = ensureLocalRedisPassword(dir);
  expect(password).toMatch(/^[0-9a-f]{64}$/);
  expect(ensureLocalRedisPassword(dir)).toBe(password);
  expect(statSync(redisPasswordFile(dir)).mode & 0o777).toBe(0o600);
  expect(resolveRedisUrl({ DATA_DIR: dir })).toBe(`redis://:${password}@127.0.0.1:6379`);
  expect(resolveRedisUrl({ DATA_DIR: dir, REDIS_URL: "redis://localhost:6390/0" })).toBe(`redis://:${password}@localhost:6390/0`);
  // A URL with its own credentials, or another host's Redis, is used as given.
  expect(resolveRedisUrl({ DATA_DIR: dir, REDIS_URL: "redis://:other@127.0.0.1:6379" })).toBe("redis://:other@127.0.0.1:6379");
  expect(resolveRedisUrl({ DATA_DIR: dir, REDIS_URL: "redis://redis:6379" })).toBe("redis://redis:6379");
});
