import { expect, test } from "bun:test";
import { openDatabase } from "@rentalnang/shared/db/database";
import { readRunRecord } from "@rentalnang/shared/db/outbox/redis-run";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { testPrefix } from "@rentalnang/shared/testing/harness";
import { spawnWorker, type RunningProcess } from "@rentalnang/shared/testing/processes";
import { startRedisServer } from "@rentalnang/shared/testing/redis-server";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";

/**
 * What `npm start` does on Ctrl-C and a second `npm start`: every worker stops, the Redis it
 * started stops cleanly (nothing lost), and both come back on the same data. The restarted
 * worker sees a new Redis process and checks its outbox against it: nothing is missing, so
 * nothing is worth a warning.
 */

const cleanup = cleanupEach();

/** pino's levels from warn up, by label (as the workers print them) or number. */
const ALARMS = new Set<unknown>(["warn", "error", "fatal", 40, 50, 60]);

/** The JSON log lines at warn or above (anything else it printed is not a log line). */
function warnings(proc: RunningProcess): string[] {
  return proc.output.filter((line) => {
    try {
      return ALARMS.has((JSON.parse(line) as { level?: unknown }).level);
    } catch {
      return false;
    }
  });
}

test("a clean restart of a worker and its Redis logs no warning", async () => {
  const redis = await startRedisServer();
  cleanup.defer(() => redis.stop());
  const dir = cleanup.use(tempDir("clean-restart"));
  const env = { REDIS_URL: redis.url, STREAM_PREFIX: testPrefix("clean"), AUTH: "off", DATABASE_URL: dir.db("payment") };

  const first = await spawnWorker("payment", { env });
  // The relay records which Redis process holds what it published; a restart is checked against that.
  const db = await openDatabase(env.DATABASE_URL);
  await eventually(async () => /^\w+$/.test((await readRunRecord(db)) ?? ""));
  await db.close();
  expect(await first.stop()).toBe(0);
  expect(warnings(first)).toEqual([]);

  // SIGTERM: redis-server writes out its AOF and exits, as npm start stops the one it started.
  redis.proc.kill("SIGTERM");
  await redis.proc.exited;
  await redis.restart();
  const second = await spawnWorker("payment", { env });
  cleanup.defer(() => second.stop());
  await eventually(() => second.output.some((line) => line.includes("Redis restarted; it kept every event")));
  expect(await second.stop()).toBe(0);
  expect(warnings(second)).toEqual([]);
});
