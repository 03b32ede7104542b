/**
 * `npm run check-invariants`: audits a running (or stopped) stack — every worker's database
 * and Redis — and exits 1 on any violation. Settings: REDIS_URL (else the local Redis with the
 * password npm start made), STREAM_PREFIX, and
 * <WORKER>_DATABASE_URL for each worker, as RENTAL_DATABASE_URL (default file:data/<worker>.db,
 * as npm start uses).
 */
import { z } from "zod";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { databaseUrl, redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { checkInvariants, formatReport, type Sources } from "./invariants/invariants.ts";

const databaseVariable = (worker: WorkerName) => `${worker.toUpperCase()}_DATABASE_URL`;
const env = configOrExit(() => loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix, DATABASE_AUTH_TOKEN: z.string().optional() }), withLocalRedis()));
const databaseUrls = configOrExit(() => loadConfig(z.object(Object.fromEntries(workerNames.map((w) => [databaseVariable(w), databaseUrl(w)])))));
const open = (worker: WorkerName) => openDatabase(databaseUrls[databaseVariable(worker)]!, env.DATABASE_AUTH_TOKEN);
const dbs = Object.fromEntries(await Promise.all(workerNames.map(async (w) => [w, await open(w)]))) as Sources["dbs"];
const redis = connectRedis(env.REDIS_URL, "command", "check-invariants");
try {
  const report = await checkInvariants({ dbs, redis, prefix: env.STREAM_PREFIX });
  console.log(formatReport(report));
  process.exitCode = report.violations.length > 0 ? 1 : 0;
} finally {
  redis.disconnect();
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
