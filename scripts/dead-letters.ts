/**
 * `npm run dead-letters -- list|redrive|drop [--group NAME] [ID ...]`
 *
 *   list      print every dead letter (or one group's)
 *   redrive   put them back on their stream, to be handled again (all, or the IDs given)
 *   drop      delete them (the IDs given; `--all` to drop every one)
 *
 * Settings: REDIS_URL, STREAM_PREFIX. Failed BullMQ jobs are retried from the queue board.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { redisUrl, streamPrefix } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { drop, GROUPS, listDeadLetters, redrive } from "./dead-letters/dead-letters.ts";

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

const env = configOrExit(() => loadConfig(z.object({ REDIS_URL: redisUrl, STREAM_PREFIX: streamPrefix })));
const redis = connectRedis(env.REDIS_URL, "command", "dead-letters");
try {
  const letters = (await listDeadLetters(redis, env.STREAM_PREFIX, values.group ? [values.group] : GROUPS))
    .filter((l) => ids.length === 0 || ids.includes(l.id));
  if (command === "list") {
    if (letters.length === 0) console.log("no dead letters");
    for (const l of letters) {
      console.log(`${l.group}  ${l.id}  from ${l.stream} ${l.entryId}  after ${l.deliveries} deliveries at ${l.failedAt}`);
      console.log(`    reason: ${l.reason}`);
      console.log(`    event:  ${(l.fields.event ?? JSON.stringify(l.fields)).slice(0, 300)}`);
    }
  } else if (command === "redrive") {
    console.log(`redrove ${await redrive(redis, env.STREAM_PREFIX, letters)} dead letter(s)`);
  } else {
    console.log(`dropped ${await drop(redis, env.STREAM_PREFIX, letters)} dead letter(s)`);
  }
} finally {
  redis.disconnect();
}
