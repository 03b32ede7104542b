/**
 * `npm run dead-letters -- list|redrive|drop [--group NAME] [ID ...]`
 *
 *   list      print every dead letter (or one group's)
 *   redrive   put them back on their stream, to be handled again (all, or the IDs given)
 *   drop      delete them (the IDs given; `--all` to drop every one)
 *
 * A group's letters are on its dead-letter stream in Redis and, once that stream was over
 * DEAD_LETTER_STREAM_CAP, in its worker's database (`dead_letters`): each command covers both.
 *
 * Settings: REDIS_URL (else the local Redis with the password npm start made), STREAM_PREFIX, and the databases as `npm start` lays them out
 * (DATA_DIR) unless <WORKER>_DATABASE_URL names one (RENTAL_DATABASE_URL …), with
 * DATABASE_AUTH_TOKEN for a libSQL server. With --group, DATABASE_URL names that group's
 * database (inside a worker's container, where it is set already). A database that does not
 * exist is skipped with a note. Confirmation jobs that exhausted their attempts are retried with `npm run failed-jobs`.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { databaseVariable, workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import { drop, GROUPS, listDeadLetters, redrive, type DeadLetter } from "@rentalnang/shared/dead-letters/dead-letters";
import { openGroupDatabases } from "./dead-letters/group-databases.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { group: { type: "string" }, all: { type: "boolean", default: false } },
});
const [command, ...ids] = positionals;
if (!command || !["list", "redrive", "drop"].includes(command)) {
  console.error(`usage: npm run dead-letters -- list|redrive|drop [--group ${GROUPS.join("|")}] [ID ...] [--all]`);
  process.exit(2);
}
if (values.group && !GROUPS.includes(values.group)) {
  console.error(`dead-letters: --group must be one of ${GROUPS.join(", ")}`);
  process.exit(2);
}
if (command === "drop" && ids.length === 0 && !values.all) {
  console.error("dead-letters: drop needs the IDs to drop, or --all");
  process.exit(2);
}

const env = configOrExit(() => loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix, DATABASE_AUTH_TOKEN: z.string().optional() }), withLocalRedis()));
const groups = values.group ? [values.group] : GROUPS;
const own = values.group && process.env.DATABASE_URL ? { [databaseVariable(values.group as WorkerName)]: process.env.DATABASE_URL } : {};
const urls = configOrExit(() => workerDatabaseUrls({ ...own, ...process.env }));
const opened = await openGroupDatabases(groups as WorkerName[], urls, env.DATABASE_AUTH_TOKEN);
for (const note of opened.notes) console.error(`dead-letters: ${note}`);
const redis = connectRedis(env.REDIS_URL, "command", "dead-letters");
try {
  const letters = (await listDeadLetters(redis, env.STREAM_PREFIX, groups, opened.dbs)).filter((l) => ids.length === 0 || ids.includes(l.id));
  if (command === "list") {
    if (letters.length === 0) console.log("no dead letters");
    for (const l of letters) print(l);
  } else if (command === "redrive") {
    console.log(`redrove ${await redrive(redis, env.STREAM_PREFIX, letters, opened.dbs)} dead letter(s)`);
  } else {
    console.log(`dropped ${await drop(redis, env.STREAM_PREFIX, letters, opened.dbs)} dead letter(s)`);
  }
} finally {
  redis.disconnect();
  await opened.close();
}

function print(l: DeadLetter) {
  const where = l.place === "database" ? "in the database" : "on the stream";
  console.log(`${l.group}  ${l.id}  ${where}  from ${l.stream} ${l.entryId}  after ${l.deliveries} deliveries at ${l.failedAt}`);
  console.log(`    reason: ${l.reason}`);
  console.log(`    event:  ${(l.fields.event ?? JSON.stringify(l.fields)).slice(0, 300)}`);
}
