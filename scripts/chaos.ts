/**
 * `npm run chaos`: runs the chaos test against a private stack and Redis of its own, prints
 * the report, and exits 1 on any violation or if the system did not settle. `--replicas 2`
 * runs two processes of each worker on its one database file and kills them one replica at a
 * time. Redis crashes once, halfway; by default it comes back from an AOF one second old (the
 * loss `appendfsync everysec` allows), since a plain SIGKILL loses nothing and would leave the
 * republishing of lost events untried.
 */
import { parseCommand } from "@rentalnang/shared/cli/command";
import { oneOf, positiveInteger, positiveSeconds } from "@rentalnang/shared/cli/flags";
import { createProgress, type Progress } from "@rentalnang/shared/cli/progress";
import { formatChaos, runChaos } from "./chaos/chaos.ts";
import { redisFaults } from "./chaos/redis-fault.ts";

const { values } = parseCommand({
  name: "chaos",
  summary: "Kills processes and Redis under load and checks that nothing was lost; exits 1 on any violation or if the system\n" +
    "did not settle. It runs its own private stack (every process, a private redis-server, databases in a temporary\n" +
    "directory), never the one npm start runs.",
  flags: {
    duration: { type: "string", default: "60", value: "SECONDS", description: "how long the load runs" },
    "kill-every": { type: "string", default: "5", value: "SECONDS", description: "how often a process is killed (SIGKILL) meanwhile" },
    clients: { type: "string", default: "4", value: "N", description: "clients reserving, cancelling and confirming at once" },
    replicas: { type: "string", default: "1", value: "N", description: "processes of each worker on its one database file, killed one at a time" },
    settle: { type: "string", default: "30", value: "SECONDS", description: "how long the system may take, after the load, until every invariant holds" },
    "redis-fault": { type: "string", default: "lose-last-second", value: redisFaults.join("|"), description: "how Redis crashes halfway: restarted from an AOF a second old, or a plain SIGKILL" },
    "no-redis-kill": { type: "boolean", default: false, description: "leave Redis running (only the processes are killed)" },
  },
  examples: ["npm run chaos", "npm run chaos -- --duration 20 --clients 2", "npm run chaos -- --replicas 2 --redis-fault kill"],
});
const durationMs = positiveSeconds("duration", values.duration);
const options = {
  durationMs,
  killEveryMs: positiveSeconds("kill-every", values["kill-every"]),
  clients: positiveInteger("clients", values.clients),
  replicas: positiveInteger("replicas", values.replicas),
  settleTimeoutMs: positiveSeconds("settle", values.settle),
  killRedis: !values["no-redis-kill"],
  redisFault: oneOf("redis-fault", values["redis-fault"], redisFaults),
};

console.log("chaos: starting a private stack");
let requests = 0;
// Made when the load starts, so its elapsed time is the load's, not the stack's start.
let progress: Progress | undefined;
const result = await runChaos({
  ...options,
  log: (line) => (progress ? progress.log(line) : console.log(line)),
  onLoad: (elapsedMs, made) => {
    requests = made;
    progress ??= createProgress({ label: "chaos: load", total: durationMs / 1000, unit: "s", detail: () => `${requests} requests` });
    progress.update(Math.round(elapsedMs / 1000));
  },
});
progress ??= createProgress({ label: "chaos", unit: "s" });
console.log(formatChaos(result));
const failed = result.report.violations.length > 0 || result.settleMs === null;
progress.finish(failed ? `chaos: FAILED, ${result.report.violations.length} violation(s)${result.settleMs === null ? ", did not settle" : ""}` : "chaos: done, nothing lost");
process.exit(failed ? 1 : 0);
