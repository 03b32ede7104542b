/**
 * `npm run status`: one screen on the stack npm start runs (or any, by its settings): per
 * consumer group its lag and pending entries, each worker's outbox backlog, the dead letters
 * (on their streams and in the databases), Redis memory against its budget. It only reads:
 * a database that is not there is reported, never created.
 */
import { z } from "zod";
import { parseCommand } from "@rentalnang/shared/cli/command";
import { requireSomeDatabase } from "@rentalnang/shared/cli/operator-database";
import { connectOperatorRedis } from "@rentalnang/shared/cli/operator-redis";
import { redisMemoryBudget, redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { statusReport } from "./status/status-report.ts";

const NAME = "status";
parseCommand({
  name: NAME,
  summary: "One screen: per consumer group lag and pending, outbox backlog per worker, dead letters, Redis memory against its budget.",
  flags: {},
  notes: [
    "settings: REDIS_URL (default the local Redis, with the password npm start made under DATA_DIR), STREAM_PREFIX,\n" +
      "REDIS_MEMORY_BUDGET (default 0.8 of maxmemory), DATA_DIR or <WORKER>_DATABASE_URL, DATABASE_AUTH_TOKEN.",
  ],
  examples: ["npm run status", "watch -n 2 npm run -s status"],
});
const env = configOrExit(() =>
  loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix, REDIS_MEMORY_BUDGET: redisMemoryBudget, DATABASE_AUTH_TOKEN: z.string().optional() }), withLocalRedis()),
);
const urls = configOrExit(() => workerDatabaseUrls());
const present = requireSomeDatabase(NAME, workerNames, urls);
const redis = await connectOperatorRedis(NAME, env.REDIS_URL, env.STREAM_PREFIX);
const dbs: Partial<Record<WorkerName, Database>> = {};
for (const w of present) dbs[w] = await openDatabase(urls[w], env.DATABASE_AUTH_TOKEN);
try {
  console.log(await statusReport({ redis, prefix: env.STREAM_PREFIX, dbs, budgetShare: env.REDIS_MEMORY_BUDGET }));
} finally {
  redis.disconnect();
  await Promise.all(Object.values(dbs).map((db) => db.close()));
}
