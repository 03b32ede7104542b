import { connectRedis, type Redis } from "@rentalnang/shared/bus/redis";
import { startRedisServer, type RedisServer } from "@rentalnang/shared/testing/redis-server";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { workerNames } from "@rentalnang/shared/topology/topology";
import type { ClientRecord } from "../invariants/client-invariants.ts";
import { checkInvariants, formatReport, type Report } from "../invariants/invariants.ts";
import { createLoad, type LoadStats } from "./load.ts";
import { crashRedis, describeRedisFault, type RedisFault, type RedisFaultOutcome } from "./redis-fault.ts";

/** How often the load's progress is reported. */
const LOAD_TICK_MS = 250;

export interface ChaosOptions {
  durationMs: number;
  killEveryMs: number;
  /** Crash Redis once, halfway through (see redisFault). */
  killRedis: boolean;
  /** How Redis crashes (redis-fault.ts); it loses its last second unless told otherwise. */
  redisFault?: RedisFault;
  clients: number;
  /** Processes per worker (default 1); the kills take one replica at a time. */
  replicas?: number;
  settleTimeoutMs: number;
  log: (line: string) => void;
  /** Called every few hundred ms while the load runs, with its elapsed time and requests made. */
  onLoad?: (elapsedMs: number, requests: number) => void;
}

export interface ChaosResult {
  durationMs: number;
  replicas: number;
  load: LoadStats;
  lostAnswers: string[];
  kills: string[];
  redis?: RedisFaultOutcome;
  settleMs: number | null;
  report: Report;
}

/**
 * The chaos run: load through the gateway while processes are SIGKILLed and restarted,
 * Redis once; then let the system settle and check every invariant across the databases
 * and Redis. Uses its own redis-server (it gets killed) and its own stack.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const server = await startRedisServer();
  const client = connectRedis(server.url, "command", "chaos");
  let stack: Stack | undefined;
  try {
    stack = await startStack(
      {
        rental: { PAYMENT_TIMEOUT_MS: "1000", PAYMENT_BREAKER_HALF_OPEN_MS: "1000", STALE_PAYMENT_AFTER_MS: "3000" },
        delivery: { JOB_BACKOFF_MS: "200" },
        gateway: { UPSTREAM_TIMEOUT_MS: "5000" },
      },
      server.url,
      { replicas: o.replicas ?? 1 },
    );
    const s = stack;
    const load = createLoad({
      baseUrl: () => s.gateway.url,
      clients: o.clients,
      cancelRatio: 0.2,
      confirmRatio: 0.3,
      answerDeadlineMs: o.settleTimeoutMs + 20_000,
      // Auth on, as deployed: customers and the manager with their own tokens.
      tokenFor: (account, roles) => s.tokenFor(account, roles),
    });
    const started = performance.now();
    let stopLoad!: () => void;
    const loadDone = load.run(new Promise<void>((r) => (stopLoad = r)));
    const killing = killWhileLoaded(o, { server, client, stack: s, started });
    for (let elapsed = 0; elapsed < o.durationMs; elapsed = performance.now() - started) {
      await Bun.sleep(Math.min(LOAD_TICK_MS, o.durationMs - elapsed));
      o.onLoad?.(Math.min(o.durationMs, performance.now() - started), load.stats.requests);
    }
    stopLoad();
    const { kills, redis } = await killing;
    await loadDone;
    const loadEnded = performance.now();
    o.log(`chaos: load stopped after ${Math.round((loadEnded - started) / 1000)} s; settling`);
    const { report, settleMs } = await settle(o, { client, stack: s, records: load.records });
    if (load.lost.length > 0) report.violations.push(...load.lost.map((l) => `no answer for ${l}`));
    return { durationMs: Math.round(loadEnded - started), replicas: o.replicas ?? 1, load: load.stats, lostAnswers: load.lost, kills, redis, settleMs, report };
  } finally {
    client.disconnect();
    await stack?.stop();
    await server.stop();
  }
}

interface Target {
  server: RedisServer;
  client: Redis;
  stack: Stack;
  started: number;
}

/** A process the run may SIGKILL: the gateway, or one replica of a worker. */
interface Victim {
  label: string;
  kill(): Promise<void>;
  restart(): Promise<unknown>;
}

/** Every process of the stack as a victim; a worker's replicas are `rental#0`, `rental#1`, … when there are several. */
function victimsOf(stack: Stack): Victim[] {
  const gateway: Victim = { label: "gateway", kill: () => stack.gateway.kill(), restart: () => stack.restartGateway() };
  const replicas = workerNames.flatMap((w) =>
    stack.replicas[w].map((_, i): Victim => ({
      label: stack.replicas[w].length > 1 ? `${w}#${i}` : w,
      kill: () => stack.replicas[w][i]!.kill(),
      restart: () => stack.restartWith(w, {}, i),
    })),
  );
  return [...replicas, gateway];
}

/**
 * Every `killEveryMs` SIGKILLs a process (each once before any twice) and restarts it, Redis
 * once, halfway. A victim is back and ready before the next kill, so two replicas of one
 * worker are never down together: a rolling failure, not an outage.
 */
async function killWhileLoaded(o: ChaosOptions, t: Target): Promise<{ kills: string[]; redis?: RedisFaultOutcome }> {
  const kills: string[] = [];
  let redis: RedisFaultOutcome | undefined;
  const bag: Victim[] = [];
  while (performance.now() - t.started < o.durationMs - o.killEveryMs / 2) {
    await Bun.sleep(o.killEveryMs);
    const elapsed = performance.now() - t.started;
    if (o.killRedis && !redis && elapsed > o.durationMs / 2) {
      const fault = o.redisFault ?? "lose-last-second";
      o.log(`chaos: Redis crashes at ${Math.round(elapsed / 1000)} s (${fault})`);
      redis = await crashRedis(t.server, t.client, t.stack.prefix, fault);
      kills.push(`redis@${Math.round(elapsed)}ms`);
      continue;
    }
    if (bag.length === 0) bag.push(...victimsOf(t.stack).sort(() => Math.random() - 0.5));
    const victim = bag.pop()!;
    await victim.kill();
    kills.push(`${victim.label}@${Math.round(elapsed)}ms`);
    o.log(`chaos: SIGKILL ${victim.label} at ${Math.round(elapsed / 1000)} s`);
    await victim.restart();
  }
  return { kills, redis };
}

/** Checks the invariants every 250 ms until they all hold or the settle timeout passes. */
async function settle(o: ChaosOptions, t: { client: Redis; stack: Stack; records: ClientRecord[] }) {
  const settleStarted = performance.now();
  const dbs = await t.stack.databases();
  let lastNote = settleStarted;
  for (;;) {
    const report = await checkInvariants({ dbs, redis: t.client, prefix: t.stack.prefix }, t.records);
    if (report.violations.length === 0) return { report, settleMs: Math.round(performance.now() - settleStarted) };
    if (performance.now() - settleStarted > o.settleTimeoutMs) return { report, settleMs: null };
    if (performance.now() - lastNote > 1_000) {
      lastNote = performance.now();
      o.log(`chaos: settling, ${report.violations.length} open (${report.violations[0]})`);
    }
    await Bun.sleep(250);
  }
}

export function formatChaos(r: ChaosResult): string {
  const answers = Object.entries(r.load.answers).map(([s, n]) => `${s}: ${n}`).join(", ");
  return [
    "chaos run:",
    `  duration         ${(r.durationMs / 1000).toFixed(1)} s`,
    `  replicas         ${r.replicas} of each worker`,
    `  reservations     ${Object.values(r.load.answers).reduce((a, b) => a + b, 0)} (${answers})`,
    `  requests         ${r.load.requests} (${r.load.retries} retries; ${Object.entries(r.load.statuses).map(([s, n]) => `${s}: ${n}`).join(", ")})`,
    `  conflicts (409)  ${r.load.conflicts} (overlapping windows refused; the invariants check no two live ones overlap)`,
    `  cancels          ${r.load.cancels}`,
    `  confirms         ${r.load.confirms}`,
    `  kills            ${r.kills.length} (${r.kills.join(", ")})`,
    `  redis crash      ${r.redis ? describeRedisFault(r.redis) : "none"}`,
    `  settle time      ${r.settleMs === null ? "did not settle" : `${(r.settleMs / 1000).toFixed(1)} s`}`,
    formatReport(r.report),
  ].join("\n");
}
