import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { memoryReading } from "@rentalnang/shared/bus/redis-memory";
import type { Database } from "@rentalnang/shared/db/database";
import { addCars, hourSlot } from "@rentalnang/shared/testing/fleet";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { connectTestRedis } from "@rentalnang/shared/testing/harness";
import { startRedisServer } from "@rentalnang/shared/testing/redis-server";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumersOf, publisherOf, streamNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { checkInvariants, formatReport } from "../../scripts/invariants/invariants.ts";

/**
 * Redis at a small maxmemory (noeviction), one consumer group (mypage) stopped for the whole
 * load, steady reservations through rental: Redis memory stays within its budget, the relays
 * hold events in the outbox, POST /rentals answers 503 + Retry-After instead of piling up a
 * silent backlog, nothing mypage still needs is trimmed, and once mypage starts everything
 * settles. The figures it measured are printed at the end.
 */

const MAXMEMORY = 8 * 1024 * 1024;
const BUDGET_SHARE = 0.8;
const BACKLOG_LIMIT = 150;
const CLIENTS = 6;
/** The load stops once 503s have been answered this long (or at LOAD_MAX_MS). */
const BUSY_FOR_MS = 3_000;
const LOAD_MAX_MS = 30_000;
const STOPPED: WorkerName = "mypage";

const cleanup = cleanupAll();
let stack: Stack;
let redis: Redis;
let dbs: Record<WorkerName, Database>;
const figures: Record<string, number | string> = {};

beforeAll(async () => {
  const server = await startRedisServer({ maxmemory: String(MAXMEMORY) });
  cleanup.defer(() => server.stop());
  stack = await startStack({
    all: { LOG_LEVEL: "warn", REDIS_MEMORY_BUDGET: String(BUDGET_SHARE) },
    rental: { OUTBOX_BACKLOG_LIMIT: String(BACKLOG_LIMIT) },
  }, server.url, { auth: "off" }); // lab mode: this is about memory, not access
  cleanup.defer(() => stack.stop());
  redis = await connectTestRedis(cleanup, server.url);
  // Its group exists (created at start) and reads nothing from here on.
  await stack.procs[STOPPED].stop();
  dbs = await stack.databases();
}, 60_000);

afterAll(() => console.log("memory budget run:", JSON.stringify(figures)));

/** Samples INFO memory every 50 ms until stopped; returns the highest used_memory seen. */
function sampleMemory() {
  let peak = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      peak = Math.max(peak, memoryReading(await redis.info("memory"), BUDGET_SHARE).usedBytes);
      await Bun.sleep(50);
    }
  })();
  return async () => {
    running = false;
    await done;
    return peak;
  };
}

interface LoadResult { reserved: number; busy: number; other: Record<number, number>; retryAfter: Set<string> }

/** CLIENTS loops reserving through rental until 503s have come for BUSY_FOR_MS. */
async function load(): Promise<LoadResult> {
  const result: LoadResult = { reserved: 0, busy: 0, other: {}, retryAfter: new Set() };
  const started = Date.now();
  let firstBusy: number | undefined;
  const stop = () => Date.now() - started > LOAD_MAX_MS || (firstBusy !== undefined && Date.now() - firstBusy > BUSY_FOR_MS);
  const client = async (c: number) => {
    for (let i = 0; !stop(); i++) {
      const res = await fetch(`${stack.procs.rental.url}/rentals`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ carId: `car-${c}`, rentHour: 1, startAt: hourSlot(i, started), customerId: `c-${c}` }),
      });
      const body = (await res.json()) as { reason?: string; rentalId?: number };
      if (res.status === 201) result.reserved++;
      else if (res.status === 503 && body.reason === "outbox-backlog") {
        result.busy++;
        firstBusy ??= Date.now();
        result.retryAfter.add(res.headers.get("retry-after") ?? "none");
        expect(body.rentalId).toBeUndefined();
        await Bun.sleep(20);
      } else result.other[res.status] = (result.other[res.status] ?? 0) + 1;
    }
  };
  await addCars(stack.procs.rental.url, Array.from({ length: CLIENTS }, (_, c) => `car-${c}`));
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  figures.loadMs = Date.now() - started;
  figures.firstBusyAfterMs = firstBusy === undefined ? "never" : firstBusy - started;
  return result;
}

/** Event ids of every outbox row of `worker`, and of the rows not yet published. */
async function outboxIds(worker: WorkerName) {
  const rows = (await dbs[worker].execute("SELECT event_id, published_at FROM outbox")).rows;
  return { all: rows.map((r) => String(r.event_id)), unpublished: new Set(rows.filter((r) => r.published_at === null).map((r) => String(r.event_id))) };
}

describe("a consumer group down under steady load, with Redis at a small maxmemory", () => {
  test("memory stays within the budget, 503s come instead of a silent backlog, nothing the group needs is trimmed, and it all settles", async () => {
    const budget = Math.floor(MAXMEMORY * BUDGET_SHARE);
    const peakOf = sampleMemory();
    const outcome = await load();
    const readiness = (await (await fetch(`${stack.procs.rental.url}/readyz`)).json()) as { status: string; checks: Record<string, Record<string, unknown>> };
    const metrics = await (await fetch(`${stack.procs.rental.url}/metrics`)).text();
    const peak = await peakOf();
    Object.assign(figures, {
      reserved: outcome.reserved, busy503: outcome.busy, other: JSON.stringify(outcome.other),
      peakUsedBytes: peak, budgetBytes: budget, maxmemoryBytes: MAXMEMORY,
    });

    expect(peak).toBeLessThanOrEqual(budget);
    expect(outcome.busy).toBeGreaterThan(0);
    expect([...outcome.retryAfter]).toEqual(["5"]);
    expect(outcome.reserved).toBeGreaterThan(BACKLOG_LIMIT);
    // Under pressure, reads keep working: ready, with the pressure reported.
    expect(readiness.status).toBe("ready");
    expect(readiness.checks.redisMemory).toMatchObject({ status: "degraded", budgetBytes: budget });
    expect(readiness.checks.outbox).toMatchObject({ status: "degraded", paused: "over-memory-budget" });
    expect(Number(readiness.checks.outbox!.unpublished)).toBeGreaterThanOrEqual(BACKLOG_LIMIT);
    expect((readiness.checks.stream!.groups as Record<string, { lag: number }>)[STOPPED]!.lag).toBeGreaterThan(0);
    expect(metrics).toMatch(new RegExp(`stream_group_lag\\{[^}]*group="${STOPPED}"[^}]*\\} [1-9]`));
    expect(metrics).toMatch(/redis_memory_budget_bytes\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/outbox_paused\{[^}]*\} 1/);

    // Every event the stopped group needs is still in its stream, or still in an outbox.
    for (const stream of streamNames.filter((s) => consumersOf(s).includes(STOPPED))) {
      const inStream = new Set((await redis.xrange(streamKey(stack.prefix, stream), "-", "+")).map(([, f]) => JSON.parse(f[1]!).id as string));
      const { all, unpublished } = await outboxIds(publisherOf(stream));
      const missing = all.filter((id) => !inStream.has(id) && !unpublished.has(id));
      expect({ stream, missing }).toEqual({ stream, missing: [] });
    }

    const restarted = Date.now();
    await stack.restartWith(STOPPED);
    const report = await eventually(async () => {
      const r = await checkInvariants({ dbs, redis, prefix: stack.prefix });
      return r.violations.length === 0 && r;
    }, { what: "every invariant holds once the group is back", timeoutMs: 40_000 }).catch(async (error) => {
      console.log(formatReport(await checkInvariants({ dbs, redis, prefix: stack.prefix })));
      throw error;
    });
    figures.settleMs = Date.now() - restarted;
    figures.rentals = report.counts.rentals!;
    expect(report.counts.views).toBe(report.counts.rentals);
    // Caught up, the streams are trimmed again (at most the last entry each group read stays).
    await eventually(async () => {
      for (const stream of streamNames) if ((await redis.xlen(streamKey(stack.prefix, stream))) > 1) return false;
      return true;
    }, { what: "the streams trimmed once every group acked", timeoutMs: 10_000 });
    figures.usedAfterBytes = memoryReading(await redis.info("memory"), BUDGET_SHARE).usedBytes;
  }, 120_000);
});
