/**
 * `npm run chaos [-- --duration 60 --kill-every 5 --clients 4 --no-redis-kill]`
 * Runs the chaos test against a private stack and Redis, prints the report, and exits 1 on
 * any violation or if the system did not settle.
 */
import { parseArgs } from "node:util";
import { formatChaos, runChaos } from "./chaos/chaos.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    "kill-every": { type: "string", default: "5" },
    clients: { type: "string", default: "4" },
    settle: { type: "string", default: "30" },
    "no-redis-kill": { type: "boolean", default: false },
  },
});
const seconds = (name: string, v: string | undefined) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`chaos: --${name} must be a positive number of seconds (got ${JSON.stringify(v)})`);
    process.exit(2);
  }
  return n * 1000;
};

const result = await runChaos({
  durationMs: seconds("duration", values.duration),
  killEveryMs: seconds("kill-every", values["kill-every"]),
  clients: Math.max(1, Math.round(seconds("clients", values.clients) / 1000)),
  settleTimeoutMs: seconds("settle", values.settle),
  killRedis: !values["no-redis-kill"],
  log: (line) => console.log(line),
});
console.log(formatChaos(result));
process.exit(result.report.violations.length > 0 || result.settleMs === null ? 1 : 0);
