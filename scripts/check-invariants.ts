/**
 * `npm run check-invariants`: audits a running (or stopped) stack — every worker's database
 * and Redis — and exits 1 on any violation. Settings: REDIS_URL, STREAM_PREFIX, and
 * RENTAL_DATABASE_URL / PAYMENT_DATABASE_URL / DELIVERY_DATABASE_URL / MYPAGE_DATABASE_URL
 * (default file:data/<name>.db, as npm start uses).
 */
import { z } from "zod";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { databaseUrl, redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { openDatabase } from "@rentalnang/shared/db/database";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { checkInvariants, formatReport } from "./invariants/invariants.ts";

const Env = z.object({
  REDIS_URL: redisUrl,
  STREAM_PREFIX: streamPrefix,
  RENTAL_DATABASE_URL: databaseUrl("rental"),
  PAYMENT_DATABASE_URL: databaseUrl("payment"),
  DELIVERY_DATABASE_URL: databaseUrl("delivery"),
  MYPAGE_DATABASE_URL: databaseUrl("mypage"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
});
const env = configOrExit(() => loadConfig(Env));
const open = (url: string) => openDatabase(url, env.DATABASE_AUTH_TOKEN);
const dbs = {
  rental: await open(env.RENTAL_DATABASE_URL),
  payment: await open(env.PAYMENT_DATABASE_URL),
  delivery: await open(env.DELIVERY_DATABASE_URL),
  mypage: await open(env.MYPAGE_DATABASE_URL),
};
const redis = connectRedis(env.REDIS_URL, "command", "check-invariants");
try {
  const report = await checkInvariants({ dbs, redis, prefix: env.STREAM_PREFIX });
  console.log(formatReport(report));
  process.exitCode = report.violations.length > 0 ? 1 : 0;
} finally {
  redis.disconnect();
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
