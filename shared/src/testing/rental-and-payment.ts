import type { Redis } from "../bus/redis.ts";
import type { Cleanup } from "./cleanup.ts";
import { connectTestRedis, testPrefix, testRedis } from "./harness.ts";
import { spawnWorker, type RunningProcess } from "./processes.ts";
import { tempDir, type TempDir } from "./temp-dir.ts";

export interface RentalAndPayment {
  redis: Redis;
  prefix: string;
  dir: TempDir;
  /** What both processes share: the run's Redis, this test's STREAM_PREFIX, and the lab mode. */
  common: Record<string, string>;
  /** Reassign it after restarting payment: the cleanup stops whichever one runs by then. */
  payment: RunningProcess;
  rental: RunningProcess;
}

/**
 * The first half of the saga with real processes: payment, then rental calling it, spawned as
 * `npm start` runs them, on the run's redis-server under a fresh STREAM_PREFIX, with libSQL
 * files in a temporary directory. Everything is undone by `cleanup`.
 */
export async function spawnRentalAndPayment(
  cleanup: Cleanup,
  label: string,
  env: { payment?: Record<string, string>; rental?: Record<string, string> } = {},
): Promise<RentalAndPayment> {
  const server = await testRedis();
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix(label);
  const dir = cleanup.use(tempDir(label));
  // The lab mode (AUTH=off, no identity): these tests are about the saga; access has its own.
  const common = { REDIS_URL: server.url, STREAM_PREFIX: prefix, AUTH: "off" };
  const payment = await spawnWorker("payment", { env: { ...common, DATABASE_URL: dir.db("payment"), ...env.payment } });
  const pair: RentalAndPayment = { redis, prefix, dir, common, payment, rental: payment };
  cleanup.defer(() => pair.payment.stop());
  pair.rental = cleanup.use(await spawnWorker("rental", {
    env: { ...common, DATABASE_URL: dir.db("rental"), PAYMENT_URL: payment.url, ...env.rental },
  }));
  return pair;
}
