/**
 * `npm run check-invariants`: audits a running (or stopped) stack — every worker's database
 * and Redis — and exits 1 on any violation. It only reads: a database that is not there ends
 * it in one line, never created.
 */
import { z } from "zod";
import { parseCommand } from "@rentalnang/shared/cli/command";
import { openExistingDatabase } from "@rentalnang/shared/cli/operator-database";
import { connectOperatorRedis } from "@rentalnang/shared/cli/operator-redis";
import { redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { checkInvariants, formatReport, type Sources } from "./invariants/invariants.ts";

const NAME = "check-invariants";
parseCommand({
  name: NAME,
  summary: "Audits the stack npm start runs (every worker's database and its Redis) and exits 1 on any violation.",
  flags: {},
  notes: [
    "settings: REDIS_URL (default the local Redis, with the password npm start made under DATA_DIR), STREAM_PREFIX,\n" +
      "DATA_DIR (where npm start keeps the databases, default data), or <WORKER>_DATABASE_URL per worker\n" +
      "(RENTAL_DATABASE_URL ...), DATABASE_AUTH_TOKEN for a libSQL server.",
  ],
  examples: ["npm run check-invariants", "DATA_DIR=/srv/rentalnang npm run check-invariants"],
});
const env = configOrExit(() => loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix, DATABASE_AUTH_TOKEN: z.string().optional() }), withLocalRedis()));
const urls = configOrExit(() => workerDatabaseUrls());
const dbs = {} as Sources["dbs"];
for (const w of workerNames) dbs[w as WorkerName] = await openExistingDatabase(NAME, w, urls[w], env.DATABASE_AUTH_TOKEN);
const redis = await connectOperatorRedis(NAME, env.REDIS_URL, env.STREAM_PREFIX);
try {
  const report = await checkInvariants({ dbs, redis, prefix: env.STREAM_PREFIX });
  console.log(formatReport(report));
  process.exitCode = report.violations.length > 0 ? 1 : 0;
} finally {
  redis.disconnect();
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
