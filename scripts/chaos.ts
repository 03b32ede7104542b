/**
 * `npm run chaos [-- --duration 60 --kill-every 5 --clients 4 --replicas 1 --redis-fault lose-last-second|kill --no-redis-kill]`
 * Runs the chaos test against a private stack and Redis, prints the report, and exits 1 on
 * any violation or if the system did not settle. `--replicas 2` runs two processes of each
 * worker on its one database file and kills them one replica at a time. Redis crashes once, halfway; by default it
 * comes back from an AOF one second old (the loss `appendfsync everysec` allows), since a
 * plain SIGKILL loses nothing and would leave the republishing of lost events untried.
 */
import { parseArgs } from "node:util";
import { formatChaos, runChaos } from "./chaos/chaos.ts";
import { redisFaults, type RedisFault } from "./chaos/redis-fault.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    "kill-every": { type: "string", default: "5" },
    clients: { type: "string", default: "4" },
    replicas: { type: "string", default: "1" },
    settle: { type: "string", default: "30" },
    "redis-fault": { type: "string", default: "lose-last-second" },
    "no-redis-kill": { type: "boolean", default: false },
  },
});
const redisFault = values["redis-fault"] as RedisFault;
if (!redisFaults.includes(redisFault)) {
  console.error(`chaos: --redis-fault must be one of ${redisFaults.join(", ")} (got ${JSON.stringify(values["redis-fault"])})`);
  process.exit(2);
}
const seconds = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`chaos: --${name} must be a positive number of seconds (got ${JSON.stringify(v)})`);
    process.exit(2);
  }
  return n * 1000;
};

const replicas = Number(values.replicas);
if (!Number.isInteger(replicas) || replicas < 1) {
  console.error(`chaos: --replicas must be a whole number of processes per worker, 1 or more (got ${JSON.stringify(values.replicas)})`);
  process.exit(2);
}

const result = await runChaos({
  durationMs: seconds("duration", values.duration),
  killEveryMs: seconds("kill-every", values["kill-every"]),
  clients: Math.max(1, Math.round(seconds("clients", values.clients) / 1000)),
  replicas,
  settleTimeoutMs: seconds("settle", values.settle),
  killRedis: !values["no-redis-kill"],
  redisFault,
  log: (line) => console.log(line),
});
console.log(formatChaos(result));
process.exit(result.report.violations.length > 0 || result.settleMs === null ? 1 : 0);
