/**
 * `npm run bench [-- --reservations 2000 --concurrency 16]`
 *
 * Measures the system as deployed on one machine — six processes, a private redis-server,
 * libSQL files — and prints a report against the targets below. Auth is on, as deployed:
 * customers load-0 … load-49 reserve with their own tokens, reads are the manager's (m-1),
 * all from identity's POST /dev/token. Reservations take windows on 200 cars of their own;
 * then the availability query runs against 10,000 cars and 1,000,000 reservations written
 * straight into rental's database (bench/availability.ts). Timing lives here, never in
 * tests: this machine is shared and noisy. Exits 1 when a target is missed.
 */
import { parseCommand } from "@rentalnang/shared/cli/command";
import { positiveInteger } from "@rentalnang/shared/cli/flags";
import { createProgress } from "@rentalnang/shared/cli/progress";
import { addCars, hourSlot } from "@rentalnang/shared/testing/fleet";
import { startRedisServer } from "@rentalnang/shared/testing/redis-server";
import { startStack } from "@rentalnang/shared/testing/stack";
import { benchAvailability, FLEET } from "./bench/availability.ts";

const TARGETS = {
  reserveThroughput: 150, // reservations per second, through the gateway
  reserveP99Ms: 250,
  readP99Ms: 50, // GET /mypages/{id}
  eventP95Ms: 500, // 201 → mypage shows AwaitingConfirmation
  rssMb: 200, // per process, after the run
  availabilityP99Ms: 50, // GET /cars?availableFrom=&availableTo=, windows of 1–8 h, over 10,000 cars and 1,000,000 reservations
  // Whole days, when no car is free: each query reads all 10,000 cars (~80 ms), and 4 at once
  // queue on rental's one database connection.
  availabilityDayP99Ms: 500,
};

const { values } = parseCommand({
  name: "bench",
  summary: "Measures throughput, latency, event lag and memory against targets and exits 1 when one is missed. It runs its own\n" +
    "private stack (six processes, a private redis-server, libSQL files in a temporary directory), never the one npm start runs.",
  flags: {
    reservations: { type: "string", default: "2000", value: "N", description: "reservations to make through the gateway" },
    concurrency: { type: "string", default: "16", value: "N", description: "requests in flight at once" },
    reads: { type: "string", default: "4000", value: "N", description: "GET /mypages/{id} reads after the reservations" },
    "fleet-queries": { type: "string", default: "1000", value: "N", description: "availability queries over 10,000 cars and 1,000,000 reservations" },
  },
  notes: ["Timings depend on the machine: on a busy shared one the targets may be missed."],
  examples: ["npm run bench", "npm run bench -- --reservations 500 --concurrency 8"],
});
const total = positiveInteger("reservations", values.reservations);
const concurrency = positiveInteger("concurrency", values.concurrency);
const reads = positiveInteger("reads", values.reads);
const fleetQueries = positiveInteger("fleet-queries", values["fleet-queries"]);
/** The cars the reservations take turns on; each car's n-th reservation gets the n-th 5-hour slot (rentHour ≤ 5). */
const BENCH_CARS = 200;
const carOf = (i: number) => ({ carId: `bench-${i % BENCH_CARS}`, startAt: hourSlot(Math.floor(i / BENCH_CARS) * 5) });

const TRACE_EVERY = 20;
const TRACE_POLL_MS = 5;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
};

async function pool<T>(count: number, workers: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  }));
  return results;
}

const redis = await startRedisServer();
const stack = await startStack(
  { all: { LOG_LEVEL: "warn" }, rental: { PAYMENT_CONCURRENCY: String(concurrency * 2) } },
  redis.url,
);
const G = stack.gateway.url;
const CUSTOMERS = 50;
try {
  const customers = await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => stack.tokenFor(`load-${i}`, ["customer"])));
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const manager = as(await stack.tokenFor("m-1"));
  await addCars(G, Array.from({ length: BENCH_CARS }, (_, c) => `bench-${c}`), manager);
  // Warm up (JIT, connections, first migrations' pages, each customer's token checked once).
  await pool(CUSTOMERS, 4, (i) => fetch(`${G}/rentals`, {
    method: "POST", headers: { "content-type": "application/json", ...as(customers[i]!) }, body: JSON.stringify({ carId: `bench-${i}`, rentHour: 1, startAt: hourSlot(8000 + i) }),
  }).then((r) => r.text()));

  const created: { id: number; at: number }[] = [];
  // Event latency: how long after its 201 a rental shows AwaitingConfirmation on mypage
  // (PaymentApproved → delivery's job → ConfirmationRequested → mypage), traced for every
  // 20th reservation while the load runs.
  const traces: Promise<number>[] = [];
  const trace = async (id: number, at: number) => {
    for (;;) {
      const v = (await (await fetch(`${stack.procs.mypage.url}/mypages/${id}`, { headers: manager })).json()) as { status?: string };
      if (v.status === "AwaitingConfirmation") return performance.now() - at;
      await Bun.sleep(TRACE_POLL_MS);
    }
  };
  const reserveMs: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  const reserving = createProgress({ label: "bench: reserving", total, unit: "reservations" });
  await pool(total, concurrency, async (i) => {
    const t0 = performance.now();
    const res = await fetch(`${G}/rentals`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `bench-${i}`, ...as(customers[i % CUSTOMERS]!) },
      body: JSON.stringify({ ...carOf(i), rentHour: 1 + (i % 5) }),
    });
    const body = (await res.json()) as { id?: number };
    const at = performance.now();
    reserveMs.push(at - t0);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status === 201) {
      created.push({ id: body.id!, at });
      if (i % TRACE_EVERY === 0) traces.push(trace(body.id!, at));
    }
    reserving.tick();
  });
  reserving.finish(`bench: ${total} reservations made`);
  const reserveSeconds = (performance.now() - started) / 1000;
  const eventMs = await Promise.all(traces);
  // And how long the event side needs, after the last 201, to have shown every rental.
  const last = created.at(-1)!;
  const drainMs = await trace(Math.max(...created.map((c) => c.id)), last.at);

  const readMs: number[] = [];
  const readStarted = performance.now();
  const reading = createProgress({ label: "bench: reading", total: reads, unit: "reads" });
  await pool(reads, concurrency, async (i) => {
    const t0 = performance.now();
    const res = await fetch(`${G}/mypages/${created[i % created.length]!.id}`, { headers: manager });
    await res.arrayBuffer();
    readMs.push(performance.now() - t0);
    reading.tick();
  });
  reading.finish(`bench: ${reads} reads made`);
  console.log(`bench: writing ${FLEET.cars} cars and their reservations into rental's database, then ${fleetQueries} availability queries`);
  const readSeconds = (performance.now() - readStarted) / 1000;

  const fleet = await benchAvailability({ dbUrl: stack.dbUrl("rental"), gateway: G, headers: as(customers[0]!), queries: fleetQueries, concurrency: 4 });

  // The gateway's own /metrics are the operators'.
  const operator = as(await stack.tokenFor("o-1"));
  const rss: Record<string, number> = {};
  for (const [name, url] of [...Object.entries(stack.procs).map(([n, p]) => [n, p.url] as const), ["gateway", G] as const]) {
    const text = await (await fetch(`${url}/metrics`, { headers: operator })).text();
    rss[name] = Number(/process_resident_memory_bytes\{[^}]*\} (\d+)/.exec(text)?.[1] ?? NaN) / 2 ** 20;
  }

  const r = summary(reserveMs);
  const e = summary(eventMs);
  const q = summary(readMs);
  const a = summary(fleet.shortMs);
  const ad = summary(fleet.dayMs);
  const throughput = total / reserveSeconds;
  const rows: [string, string, string, boolean][] = [
    ["reservations/s (POST /rentals via gateway)", throughput.toFixed(0), `≥ ${TARGETS.reserveThroughput}`, throughput >= TARGETS.reserveThroughput],
    ["POST /rentals p50 / p95 / p99 ms", `${r.p50.toFixed(1)} / ${r.p95.toFixed(1)} / ${r.p99.toFixed(1)}`, `p99 ≤ ${TARGETS.reserveP99Ms}`, r.p99 <= TARGETS.reserveP99Ms],
    ["201 → mypage AwaitingConfirmation p50 / p95 ms", `${e.p50.toFixed(1)} / ${e.p95.toFixed(1)}`, `p95 ≤ ${TARGETS.eventP95Ms}`, e.p95 <= TARGETS.eventP95Ms],
    ["event side caught up, ms after the last 201", drainMs.toFixed(0), "", true],
    ["GET /mypages/{id} reads/s", (reads / readSeconds).toFixed(0), "", true],
    ["GET /mypages/{id} p50 / p95 / p99 ms", `${q.p50.toFixed(1)} / ${q.p95.toFixed(1)} / ${q.p99.toFixed(1)}`, `p99 ≤ ${TARGETS.readP99Ms}`, q.p99 <= TARGETS.readP99Ms],
    [`${FLEET.cars} cars, ${fleet.reservations} reservations written in s`, fleet.seedSeconds.toFixed(1), "", true],
    [`GET /cars?available… 1–8 h p50 / p95 / p99 ms (${fleet.meanFree.toFixed(1)} free of 20)`, `${a.p50.toFixed(1)} / ${a.p95.toFixed(1)} / ${a.p99.toFixed(1)}`, `p99 ≤ ${TARGETS.availabilityP99Ms}`, a.p99 <= TARGETS.availabilityP99Ms],
    ["GET /cars?available… whole day (none free) p50 / p99 ms", `${ad.p50.toFixed(1)} / ${ad.p99.toFixed(1)}`, `p99 ≤ ${TARGETS.availabilityDayP99Ms}`, ad.p99 <= TARGETS.availabilityDayP99Ms],
    ...Object.entries(rss).map(([name, mb]): [string, string, string, boolean] =>
      [`RSS ${name} MB`, mb.toFixed(0), `≤ ${TARGETS.rssMb}`, mb <= TARGETS.rssMb]),
  ];
  console.log(`bench: ${total} reservations at concurrency ${concurrency} (${JSON.stringify(statuses)}), ${traces.length} traced to mypage, ${reads} reads, ${fleet.shortMs.length} + ${fleet.dayMs.length} availability queries; ${navigator.hardwareConcurrency} cores`);
  const width = Math.max(...rows.map((x) => x[0].length));
  for (const [label, value, target, ok] of rows) {
    console.log(`  ${label.padEnd(width)}  ${value.padStart(24)}  ${target.padEnd(10)} ${target ? (ok ? "ok" : "MISSED") : ""}`);
  }
  const missed = rows.filter((x) => !x[3]).length;
  console.log(missed === 0 ? "bench: done, every target met" : `bench: done, ${missed} target(s) missed`);
  process.exitCode = missed === 0 ? 0 : 1;
} finally {
  await stack.stop();
  await redis.stop();
}
