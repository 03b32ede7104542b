/**
 * `npm run bench [-- --reservations 2000 --concurrency 16] [--quick] [--profile]`
 *
 * Measures the system as deployed on one machine — six processes, a private redis-server,
 * libSQL files — and prints a report against the targets below (docs/performance.md). Auth is
 * on, as deployed: customers load-0 … load-49 reserve with their own tokens from identity's
 * POST /dev/token; the gateway's rate limit is the shipped one; every process logs at warn.
 *
 * 1. unloaded: one saga at a time, POST → mypage AwaitingConfirmation (bench/unloaded.ts);
 * 2. load: reservations at `concurrency` clients on 200 cars of the bench's own, each in a
 *    window of its own; the server CPU of every process (Redis included) from /proc between
 *    its start and the moment the last saga reached AwaitingConfirmation on mypage, divided
 *    by the sagas that did (bench/saga-load.ts, bench/proc-stats.ts);
 * 3. reads of GET /mypages/{id}, each customer its own rows;
 * 4. the availability query over 10,000 cars and 1,000,000 reservations (bench/availability.ts).
 *
 * Timing lives here, never in tests. Exits 1 when a required target is missed.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommand } from "@rentalnang/shared/cli/command";
import { positiveInteger, wholeNumber } from "@rentalnang/shared/cli/flags";
import { createProgress } from "@rentalnang/shared/cli/progress";
import { addCars, hourSlot } from "@rentalnang/shared/testing/fleet";
import { startRedisServer } from "@rentalnang/shared/testing/redis-server";
import { printRedisCommands, resetRedisStats } from "./bench/redis-commands.ts";
import { startStack } from "@rentalnang/shared/testing/stack";
import { workerNames, type ProcessName } from "@rentalnang/shared/topology/topology";
import { benchAvailability, FLEET } from "./bench/availability.ts";
import { cpuBetween, cpuSnapshot, sampleRss } from "./bench/proc-stats.ts";
import { printProfileSummary } from "./bench/profile-summary.ts";
import { printCpuTable, printFigures, summary, type Figure } from "./bench/report.ts";
import { runSagaLoad, type Slot } from "./bench/saga-load.ts";
import { durabilityOf } from "./bench/settings.ts";
import { awaitingConfirmation, unloadedLatency } from "./bench/unloaded.ts";

const TARGETS = {
  cpuPerSagaMs: { required: 4, stretch: 2.5 }, // every process, Redis included
  sagasPerSecond: { required: 400, stretch: 700 }, // full sagas, through the gateway, sustained
  unloadedP99Ms: { required: 15, stretch: 10 }, // POST → mypage AwaitingConfirmation, one at a time
  postP99Ms: { required: 250, stretch: 25 }, // POST /rentals at `concurrency` clients
  eventP95Ms: 500, // 201 → mypage AwaitingConfirmation, under the load
  readP99Ms: 50, // GET /mypages/{id}
  rssMb: 120, // per process, the highest sample under the load
  availabilityP99Ms: 50, // GET /cars?availableFrom=&availableTo=, windows of 1–8 h, over 10,000 cars and 1,000,000 reservations
  // Whole days, when no car is free: each query reads all 10,000 cars (~80 ms), and 4 at once
  // queue on rental's one database connection.
  availabilityDayP99Ms: 500,
};
const LOG_LEVEL = "warn";
/** The gateway's default RATE_LIMIT_PER_SECOND, as shipped. */
const SHIPPED_RATE_LIMIT = "100";

const { values } = parseCommand({
  name: "bench",
  summary: "Measures CPU per saga, throughput, latency, event lag and memory against targets and exits 1 when a required one is\n" +
    "missed. It runs its own private stack (six processes, a private redis-server, libSQL files in a temporary directory),\n" +
    "never the one npm start runs.",
  flags: {
    reservations: { type: "string", value: "N", description: "reservations (sagas) made under load (default 2000; 300 with --quick)" },
    concurrency: { type: "string", default: "16", value: "N", description: "requests in flight at once under load" },
    unloaded: { type: "string", value: "N", description: "sagas made one at a time first, for the unloaded latency (default 200; 30 with --quick)" },
    warmup: { type: "string", default: "100", value: "N", description: "sagas made one at a time before any is measured (the first is shown as the cold one)" },
    reads: { type: "string", value: "N", description: "GET /mypages/{id} reads after the load, 0 for none (default 4000; 500 with --quick)" },
    "fleet-queries": { type: "string", value: "N", description: "availability queries over 10,000 cars and 1,000,000 reservations, 0 for none (default 1000; 0 with --quick)" },
    "rate-limit": { type: "string", default: SHIPPED_RATE_LIMIT, value: "N", description: "the gateway's RATE_LIMIT_PER_SECOND (0: none)" },
    quick: { type: "boolean", default: false, description: "a short run while developing (well under a minute): the smaller defaults above" },
    profile: { type: "boolean", default: false, description: "write a CPU profile (markdown) of each Bun process into a folder it prints; skips the reads and the availability query" },
  },
  notes: [
    "Timings depend on the machine: on a busy shared one the latency and throughput targets may be missed. CPU per saga is\n" +
    "read from /proc (time the processes actually ran), the figure least moved by other load.",
  ],
  examples: ["npm run bench", "npm run bench -- --quick", "npm run bench -- --quick --profile", "npm run bench -- --reservations 500 --concurrency 8"],
});

const quick = values.quick;
const total = positiveInteger("reservations", values.reservations ?? (quick ? "300" : "2000"));
const concurrency = positiveInteger("concurrency", values.concurrency);
const unloadedSamples = positiveInteger("unloaded", values.unloaded ?? (quick ? "30" : "200"));
const warmupSamples = positiveInteger("warmup", values.warmup);
const reads = values.profile ? 0 : wholeNumber("reads", values.reads ?? (quick ? "500" : "4000"));
const fleetQueries = values.profile ? 0 : wholeNumber("fleet-queries", values["fleet-queries"] ?? (quick ? "0" : "1000"));
const rateLimit = wholeNumber("rate-limit", values["rate-limit"]);

/** The cars reservations take turns on; each car's n-th reservation gets the n-th 5-hour slot (rentHour ≤ 5). */
const BENCH_CARS = 200;
let slots = 0;
const nextSlot = (): Slot => {
  const n = slots++;
  return { carId: `bench-${n % BENCH_CARS}`, startAt: hourSlot(Math.floor(n / BENCH_CARS) * 5), rentHour: 1 + (n % 5) };
};
const CUSTOMERS = 50;
const SETTLE_MS = 60_000;

const profileDir = values.profile ? mkdtempSync(join(tmpdir(), "rentalnang-profile-")) : undefined;
const profiled = (name: ProcessName): Record<string, string> =>
  profileDir ? { BUN_OPTIONS: `--cpu-prof-md --cpu-prof-dir=${profileDir} --cpu-prof-name=${name}.md` } : {};
const redis = await startRedisServer();
const stopRedis = async (error: unknown): Promise<never> => {
  await redis.stop();
  throw error;
};
const stack = await startStack({
  all: { LOG_LEVEL },
  identity: profiled("identity"),
  rental: { PAYMENT_CONCURRENCY: String(concurrency * 2), ...profiled("rental") },
  payment: profiled("payment"),
  delivery: profiled("delivery"),
  mypage: profiled("mypage"),
  gateway: { RATE_LIMIT_PER_SECOND: String(rateLimit), ...profiled("gateway") },
}, redis.url).catch(stopRedis);
const G = stack.gateway.url;
try {
  // Opened once, closed by stack.stop(): the settings read them, the load's watcher reads mypage's.
  const dbs = await stack.databases();
  console.log(`bench: settings: LOG_LEVEL=${LOG_LEVEL} in every process; AUTH on (every process checks tokens); gateway rate limit ` +
    `${rateLimit === 0 ? "off" : `${rateLimit}/s per client`}; databases ${await durabilityOf(dbs)}; ${navigator.hardwareConcurrency} cores`);
  if (profileDir) console.log(`bench: CPU profiles of each process go to ${profileDir} (written when the stack stops); profiling slows every figure`);
  const customers = await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => stack.tokenFor(`load-${i}`, ["customer"])));
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  // Straight to rental: one manager adding 200 cars through the gateway would meet its rate limit.
  await addCars(stack.procs.rental.url, Array.from({ length: BENCH_CARS }, (_, c) => `bench-${c}`), as(await stack.tokenFor("m-1")));
  // Warm up: sagas one at a time (the JIT compiles the hot paths over the first hundred or so;
  // the very first is the cold figure), then one reservation per customer at once, so each
  // token has been checked, followed until every one of them settled: the measured sagas
  // below start on a stack with nothing left in flight.
  const warming = createProgress({ label: "bench: warming up", total: warmupSamples + CUSTOMERS, unit: "sagas" });
  const warm = await unloadedLatency({ gateway: G, mypage: stack.procs.mypage.url, tokens: customers, samples: warmupSamples, slot: nextSlot, tick: () => warming.tick() });
  const burst = await Promise.all(customers.map(async (token) => {
    const res = await fetch(`${G}/rentals`, { method: "POST", headers: { "content-type": "application/json", ...as(token) }, body: JSON.stringify(nextSlot()) });
    return { token, status: res.status, body: (await res.json()) as { id?: number } };
  }));
  const refused = burst.find((b) => b.status !== 201);
  if (refused) throw new Error(`warm-up reservation: ${refused.status} ${JSON.stringify(refused.body)}`);
  await Promise.all(burst.map(async ({ token, body }) => {
    await awaitingConfirmation(stack.procs.mypage.url, body.id!, as(token));
    warming.tick();
  }));
  warming.finish(`bench: warmed up: ${warmupSamples} sagas one at a time, then ${CUSTOMERS} at once`);

  const oneAtATime = createProgress({ label: "bench: one at a time", total: unloadedSamples, unit: "sagas" });
  const unloaded = await unloadedLatency({ gateway: G, mypage: stack.procs.mypage.url, tokens: customers, samples: unloadedSamples, slot: nextSlot, tick: () => oneAtATime.tick() });
  oneAtATime.finish(`bench: ${unloadedSamples} sagas one at a time`);

  const pids: Record<string, number> = { redis: redis.proc.pid, gateway: stack.gateway.proc.pid, identity: stack.identity.proc.pid };
  for (const w of workerNames) pids[w] = stack.procs[w].proc.pid;
  const reserving = createProgress({ label: "bench: reserving", total, unit: "reservations" });
  const rss = sampleRss(pids);
  await resetRedisStats(redis.url);
  const cpuBefore = cpuSnapshot(pids);
  const ownBefore = process.cpuUsage();
  const load = await runSagaLoad({
    gateway: G, mypageDb: dbs.mypage, tokens: customers, total, concurrency, slot: () => nextSlot(),
    idsAfter: Math.max(warm.lastId, unloaded.lastId, ...burst.map((b) => b.body.id!)), settleMs: SETTLE_MS, tick: () => reserving.tick(),
  });
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(pids));
  const own = process.cpuUsage(ownBefore);
  const rssMb = rss.stop();
  reserving.finish(`bench: ${total} reservations made`);
  const sagas = [...load.created.keys()].filter((id) => load.reached.has(id));
  console.log(`bench: ${total} reservations at concurrency ${concurrency} (${JSON.stringify(load.statuses)}), ${sagas.length} reached AwaitingConfirmation`);
  const cpuPerSaga = printCpuTable(cpu, sagas.length, rssMb);
  console.log(`(the load generator, this bench, used ${((own.user + own.system) / 1000 / sagas.length).toFixed(2)} ms per saga besides)`);
  await printRedisCommands(redis.url, sagas.length);

  const readMs = await readPhase(load.created, customers);
  const fleet = fleetQueries > 0
    ? await benchAvailability({ dbUrl: stack.dbUrl("rental"), gateway: G, headers: customers.map(as), queries: fleetQueries, concurrency: 4 })
    : undefined;
  const figures = [
    { label: "first saga after start (cold) POST → AwaitingConfirmation ms", shown: warm.ms[0]!.toFixed(1), value: 0 },
    ...sagaFigures(load, sagas, cpuPerSaga, unloaded.ms),
    ...readFigures(readMs),
    ...(fleet ? fleetFigures(fleet) : []),
    ...Object.entries(rssMb).map(([name, mb]): Figure => ({ label: `RSS ${name} MB, highest under load`, shown: mb.toFixed(0), value: mb, required: { max: TARGETS.rssMb } })),
  ];
  const missed = printFigures(figures);
  console.log(missed === 0 ? "bench: done, every required target met" : `bench: done, ${missed} required target(s) missed`);
  process.exitCode = missed === 0 ? 0 : 1;
} finally {
  await stack.stop();
  await redis.stop();
  if (profileDir) {
    console.log(`bench: CPU profiles written to ${profileDir}; their top, in samples:`);
    printProfileSummary(profileDir);
  }
}

function sagaFigures(load: Awaited<ReturnType<typeof runSagaLoad>>, sagas: number[], cpuPerSaga: number, unloadedMs: number[]): Figure[] {
  const u = summary(unloadedMs);
  const p = summary(load.postMs);
  const e = summary(sagas.map((id) => load.reached.get(id)! - load.created.get(id)!.at));
  const perSecond = sagas.length / ((load.endedAt - load.startedAt) / 1000);
  const postsPerSecond = load.postMs.length / ((load.postsEndedAt - load.startedAt) / 1000);
  const lastCreated = Math.max(...[...load.created.values()].map((c) => c.at));
  return [
    { label: "server CPU per saga, ms (all processes)", shown: cpuPerSaga.toFixed(2), value: cpuPerSaga, required: { max: TARGETS.cpuPerSagaMs.required }, stretch: { max: TARGETS.cpuPerSagaMs.stretch } },
    { label: "sagas/s sustained (POST → AwaitingConfirmation)", shown: perSecond.toFixed(0), value: perSecond, required: { min: TARGETS.sagasPerSecond.required }, stretch: { min: TARGETS.sagasPerSecond.stretch } },
    { label: "POST /rentals/s through the gateway", shown: postsPerSecond.toFixed(0), value: postsPerSecond },
    { label: "unloaded POST → AwaitingConfirmation p50 / p99 ms", shown: `${u.p50.toFixed(1)} / ${u.p99.toFixed(1)}`, value: u.p99, required: { max: TARGETS.unloadedP99Ms.required }, stretch: { max: TARGETS.unloadedP99Ms.stretch } },
    { label: `POST /rentals p50 / p95 / p99 ms at ${concurrency} clients`, shown: `${p.p50.toFixed(1)} / ${p.p95.toFixed(1)} / ${p.p99.toFixed(1)}`, value: p.p99, required: { max: TARGETS.postP99Ms.required }, stretch: { max: TARGETS.postP99Ms.stretch } },
    { label: "201 → mypage AwaitingConfirmation p50 / p95 ms, under load", shown: `${e.p50.toFixed(1)} / ${e.p95.toFixed(1)}`, value: e.p95, required: { max: TARGETS.eventP95Ms } },
    { label: "event side caught up, ms after the last 201", shown: (load.endedAt - lastCreated).toFixed(0), value: 0 },
  ];
}

/** Each customer reads their own rentals' mypage rows through the gateway, `concurrency` at a time. */
async function readPhase(created: Map<number, { customer: number }>, tokens: string[]): Promise<{ ms: number[]; seconds: number; statuses: Record<number, number> }> {
  const rows = [...created.entries()];
  const result = { ms: [] as number[], seconds: 0, statuses: {} as Record<number, number> };
  if (reads === 0 || rows.length === 0) return result;
  const reading = createProgress({ label: "bench: reading", total: reads, unit: "reads" });
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < reads) {
      const [id, { customer }] = rows[next++ % rows.length]!;
      const t0 = performance.now();
      const res = await fetch(`${G}/mypages/${id}`, { headers: { authorization: `Bearer ${tokens[customer]}` } });
      await res.arrayBuffer();
      result.ms.push(performance.now() - t0);
      result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
      reading.tick();
    }
  }));
  result.seconds = (performance.now() - started) / 1000;
  reading.finish(`bench: ${reads} reads made (${JSON.stringify(result.statuses)})`);
  return result;
}

function readFigures(r: { ms: number[]; seconds: number }): Figure[] {
  if (r.ms.length === 0) return [];
  const q = summary(r.ms);
  return [
    { label: "GET /mypages/{id} reads/s", shown: (r.ms.length / r.seconds).toFixed(0), value: 0 },
    { label: "GET /mypages/{id} p50 / p95 / p99 ms", shown: `${q.p50.toFixed(1)} / ${q.p95.toFixed(1)} / ${q.p99.toFixed(1)}`, value: q.p99, required: { max: TARGETS.readP99Ms } },
  ];
}

function fleetFigures(fleet: Awaited<ReturnType<typeof benchAvailability>>): Figure[] {
  const a = summary(fleet.shortMs);
  const ad = summary(fleet.dayMs);
  return [
    { label: `${FLEET.cars} cars, ${fleet.reservations} reservations written in s`, shown: fleet.seedSeconds.toFixed(1), value: 0 },
    { label: `GET /cars?available… 1–8 h p50 / p95 / p99 ms (${fleet.meanFree.toFixed(1)} free of 20)`, shown: `${a.p50.toFixed(1)} / ${a.p95.toFixed(1)} / ${a.p99.toFixed(1)}`, value: a.p99, required: { max: TARGETS.availabilityP99Ms } },
    { label: "GET /cars?available… whole day (none free) p50 / p99 ms", shown: `${ad.p50.toFixed(1)} / ${ad.p99.toFixed(1)}`, value: ad.p99, required: { max: TARGETS.availabilityDayP99Ms } },
  ];
}
