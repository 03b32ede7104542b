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
 * exist is skipped with a note (and never created); when none is there the command stops. Confirmation jobs that exhausted their attempts are retried with `npm run failed-jobs`.
 */
import { z } from "zod";
import { parseCommand, UsageError } from "@rentalnang/shared/cli/command";
import { oneOf } from "@rentalnang/shared/cli/flags";
import { requireSomeDatabase } from "@rentalnang/shared/cli/operator-database";
import { connectOperatorRedis } from "@rentalnang/shared/cli/operator-redis";
import { redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { withLocalRedis } from "@rentalnang/shared/config/local-redis";
import { databaseVariable, workerDatabaseUrls } from "@rentalnang/shared/config/worker-database-urls";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import { drop, GROUPS, listDeadLetters, redrive, type DeadLetter } from "@rentalnang/shared/dead-letters/dead-letters";
import { openGroupDatabases } from "./dead-letters/group-databases.ts";

const NAME = "dead-letters";
const { values, positionals } = parseCommand({
  name: NAME,
  summary: "Lists, redrives or drops the dead letters of every consumer group (or one): on its dead-letter stream and in its worker's database.",
  usage: "list|redrive|drop [ID ...]",
  flags: {
    group: { type: "string", value: "NAME", description: `one consumer group only: ${GROUPS.join(", ")}` },
    all: { type: "boolean", default: false, description: "with drop: drop every letter (drop needs IDs otherwise)" },
  },
  notes: [
    "settings: REDIS_URL (default the local Redis, with the password npm start made under DATA_DIR), STREAM_PREFIX,\n" +
      "DATA_DIR (where npm start keeps the databases) or <WORKER>_DATABASE_URL; with --group, DATABASE_URL names that\n" +
      "group's database (inside a worker's container). A group whose database is not there shows its stream's letters only.",
  ],
  examples: ["npm run dead-letters -- list", "npm run dead-letters -- redrive --group payment 1732630000000-0", "npm run dead-letters -- drop --all"],
});
const [command, ...ids] = positionals;
if (!command || !["list", "redrive", "drop"].includes(command)) throw new UsageError(`the first argument must be list, redrive or drop (got ${JSON.stringify(command ?? "")})`);
if (values.group !== undefined) oneOf("group", values.group, GROUPS);
if (command === "drop" && ids.length === 0 && !values.all) throw new UsageError("drop needs the IDs to drop, or --all");

const env = configOrExit(() => loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix, DATABASE_AUTH_TOKEN: z.string().optional() }), withLocalRedis()));
const groups = (values.group ? [values.group] : GROUPS) as WorkerName[];
const own = values.group && process.env.DATABASE_URL ? { [databaseVariable(values.group as WorkerName)]: process.env.DATABASE_URL } : {};
const urls = configOrExit(() => workerDatabaseUrls({ ...own, ...process.env }));
requireSomeDatabase(NAME, groups, urls);
const redis = await connectOperatorRedis(NAME, env.REDIS_URL, env.STREAM_PREFIX);
const opened = await openGroupDatabases(groups, urls, env.DATABASE_AUTH_TOKEN);
for (const note of opened.notes) console.error(`${NAME}: ${note}`);
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
