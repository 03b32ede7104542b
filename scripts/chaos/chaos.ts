import { connectRedis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { startRedisServer, type RedisServer } from "@rentalnang/shared/testing/redis-server";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { startOrder, workerNames, type ProcessName } from "@rentalnang/shared/topology/topology";
import { checkInvariants, formatReport, type Report, type Sources } from "../invariants/invariants.ts";
import { createLoad, type LoadStats } from "./load.ts";

export interface ChaosOptions {
  durationMs: number;
  killEveryMs: number;
  /** Kill Redis (SIGKILL) once, halfway through, and restart it from its AOF. */
  killRedis: boolean;
  clients: number;
  settleTimeoutMs: number;
  log: (line: string) => void;
}

export interface ChaosResult {
  durationMs: number;
  load: LoadStats;
  lostAnswers: string[];
  kills: string[];
  settleMs: number | null;
  report: Report;
}

/**
 * The chaos run: load through the gateway while processes are SIGKILLed and restarted,
 * Redis once; then let the system settle and check every invariant across the databases
 * and Redis. Uses its own redis-server (it gets killed) and its own stack.
 */
export async function runChaos(o: ChaosOptions): Promise<ChaosResult> {
  const redis: RedisServer = await startRedisServer();
  let stack: Stack | undefined;
  try {
    stack = await startStack(
      {
        rental: { PAYMENT_TIMEOUT_MS: "1000", PAYMENT_BREAKER_HALF_OPEN_MS: "1000", STALE_PAYMENT_AFTER_MS: "3000" },
        delivery: { JOB_BACKOFF_MS: "200" },
        gateway: { UPSTREAM_TIMEOUT_MS: "5000" },
      },
      redis.url,
    );
    const s = stack;
    const load = createLoad({
      baseUrl: () => s.gateway.url,
      clients: o.clients,
      cancelRatio: 0.2,
      confirmRatio: 0.3,
      answerDeadlineMs: o.settleTimeoutMs + 20_000,
    });
    const kills: string[] = [];
    const started = performance.now();
    let stopLoad!: () => void;
    const loadStopped = new Promise<void>((r) => (stopLoad = r));
    const loadDone = load.run(loadStopped);

    const killer = (async () => {
      let redisKilled = !o.killRedis;
      const bag: ProcessName[] = [];
      while (performance.now() - started < o.durationMs - o.killEveryMs / 2) {
        await Bun.sleep(o.killEveryMs);
        const elapsed = performance.now() - started;
        if (!redisKilled && elapsed > o.durationMs / 2) {
          redisKilled = true;
          await redis.kill();
          kills.push(`redis@${Math.round(elapsed)}ms`);
          o.log(`chaos: SIGKILL redis at ${Math.round(elapsed / 1000)} s`);
          await Bun.sleep(300);
          await redis.restart();
          continue;
        }
        // A shuffled bag: every process is killed once before any is killed twice.
        if (bag.length === 0) bag.push(...startOrder().sort(() => Math.random() - 0.5));
        const target = bag.pop()!;
        const proc = target === "gateway" ? s.gateway : s.procs[target];
        await proc.kill();
        kills.push(`${target}@${Math.round(elapsed)}ms`);
        o.log(`chaos: SIGKILL ${target} at ${Math.round(elapsed / 1000)} s`);
        if (target === "gateway") await s.restartGateway();
        else await s.restartWith(target);
      }
    })();
    await Bun.sleep(o.durationMs);
    stopLoad();
    await killer;
    await loadDone;
    const loadEnded = performance.now();
    o.log(`chaos: load stopped after ${Math.round((loadEnded - started) / 1000)} s; settling`);

    const dbs = Object.fromEntries(await Promise.all(workerNames.map(async (w) => [w, await openDatabase(s.dbUrl(w))]))) as Sources["dbs"];
    const client = connectRedis(redis.url, "command", "chaos");
    let report: Report;
    let settleMs: number | null = null;
    const settleDeadline = performance.now() + o.settleTimeoutMs;
    let lastNote = performance.now();
    for (;;) {
      report = await checkInvariants({ dbs, redis: client, prefix: s.prefix }, load.records);
      if (report.violations.length === 0) {
        settleMs = Math.round(performance.now() - loadEnded);
        break;
      }
      if (performance.now() > settleDeadline) break;
      if (performance.now() - lastNote > 1_000) {
        lastNote = performance.now();
        o.log(`chaos: settling, ${report.violations.length} open (${report.violations[0]})`);
      }
      await Bun.sleep(250);
    }
    client.disconnect();
    await Promise.all(Object.values(dbs).map((db) => db.close()));
    if (load.lost.length > 0) report.violations.push(...load.lost.map((l) => `no answer for ${l}`));
    return { durationMs: Math.round(loadEnded - started), load: load.stats, lostAnswers: load.lost, kills, settleMs, report };
  } finally {
    await stack?.stop();
    await redis.stop();
  }
}

export function formatChaos(r: ChaosResult): string {
  const answers = Object.entries(r.load.answers).map(([s, n]) => `${s}: ${n}`).join(", ");
  return [
    "chaos run:",
    `  duration         ${(r.durationMs / 1000).toFixed(1)} s`,
    `  reservations     ${Object.values(r.load.answers).reduce((a, b) => a + b, 0)} (${answers})`,
    `  requests         ${r.load.requests} (${r.load.retries} retries)`,
    `  cancels          ${r.load.cancels}`,
    `  confirms         ${r.load.confirms}`,
    `  kills            ${r.kills.length} (${r.kills.join(", ")})`,
    `  settle time      ${r.settleMs === null ? "did not settle" : `${(r.settleMs / 1000).toFixed(1)} s`}`,
    formatReport(r.report),
  ].join("\n");
}
