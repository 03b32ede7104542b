import { createProgress } from "@rentalnang/shared/cli/progress";
import { openDatabase } from "@rentalnang/shared/db/database";

/**
 * The availability query at scale: 10,000 cars and 1,000,000 live reservations, written
 * straight into rental's database with SQL, spread over the period the queries ask about (each
 * car holds one reservation of 1–4 hours on each of 100 days). Then GET /cars with a window,
 * through the gateway, as a customer would ask it. The cars that were there before are
 * retired first.
 */

export const FLEET = { cars: 10_000, days: 100 };
const HOUR_MS = 3_600_000;
/** Short windows asked before the measured ones, not counted. */
const WARM_UP_QUERIES = 20;
/** Reservations written per transaction: the running rental process's own writes wait for each. */
const DAYS_PER_BATCH = 2;

export interface AvailabilityRun {
  /** Milliseconds per request, short windows (1–8 h) at random hours of the period. */
  shortMs: number[];
  /** Whole-day windows: every car is taken that day, so the query reads every car and answers none. */
  dayMs: number[];
  seedSeconds: number;
  reservations: number;
  /** Cars free in the short windows, on average (of a page of 20). */
  meanFree: number;
}

/** The period the fleet's reservations fill: the first full day a week from now, for FLEET.days days. */
export const periodStart = (now = Date.now()) => Math.floor(now / (24 * HOUR_MS) + 7) * 24 * HOUR_MS;

/** Writes the fleet and its reservations; returns how many reservations rental's database then holds. */
async function seed(dbUrl: string, start: number): Promise<number> {
  const seeding = createProgress({ label: "bench: seeding the fleet", total: FLEET.days, unit: "days" });
  const db = await openDatabase(dbUrl);
  try {
    const now = new Date().toISOString();
    const from = new Date(start).toISOString();
    // The cars of the run before (the demo fleet, the reservations' own) would fill the first
    // pages ahead of the fleet ("aaa" < "fleet-…"): retired, the query meets only the fleet.
    await db.execute({ sql: "UPDATE cars SET retired_at = ? WHERE retired_at IS NULL", args: [now] });
    await db.write((tx) => tx.execute({
      sql: `INSERT INTO cars (id, model, rate_per_hour, created_at)
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
            SELECT printf('fleet-%05d', i), 'Bench', 1000, ? FROM n`,
      args: [FLEET.cars, now],
    }));
    for (let day = 0; day < FLEET.days; day += DAYS_PER_BATCH) {
      // On day j, car i is out from hour (7i + 13j) mod 20 for 1 + (i + j) mod 4 hours.
      await db.write((tx) => tx.execute({
        sql: `INSERT INTO rentals (car_id, rent_hour, price, customer_id, status, created_at, updated_at, start_at, end_at)
              WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ? - 1),
                d(j) AS (SELECT ? UNION ALL SELECT j + 1 FROM d WHERE j < ? - 1),
                w(i, j, s, h) AS (SELECT i, j, j * 24 + (7 * i + 13 * j) % 20, 1 + (i + j) % 4 FROM c, d)
              SELECT printf('fleet-%05d', i), h, h * 1000, 'bench-' || (i % 50),
                     CASE WHEN (i + j) % 5 = 0 THEN 'Confirmed' ELSE 'Reserved' END, ?, ?,
                     strftime('%Y-%m-%dT%H:%M:%fZ', ?, '+' || s || ' hours'),
                     strftime('%Y-%m-%dT%H:%M:%fZ', ?, '+' || (s + h) || ' hours')
              FROM w`,
        args: [FLEET.cars, day, Math.min(FLEET.days, day + DAYS_PER_BATCH), now, now, from, from],
      }));
      seeding.update(Math.min(FLEET.days, day + DAYS_PER_BATCH));
    }
    await db.execute("ANALYZE");
    const reservations = Number((await db.execute("SELECT count(*) AS n FROM rentals WHERE car_id LIKE 'fleet-%'")).rows[0]!.n);
    seeding.finish(`bench: ${FLEET.cars} cars and ${reservations} reservations written`);
    return reservations;
  } finally {
    await db.close();
  }
}

async function timed(url: string, headers: Record<string, string>): Promise<{ ms: number; free: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = (await res.json()) as { items?: unknown[] };
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, free: body.items!.length };
}

/** Seeds, then asks `queries` short windows and `queries / 10` whole days, `concurrency` at a time. */
export async function benchAvailability(o: {
  dbUrl: string;
  gateway: string;
  /** Each request's headers in turn: several customers' tokens keep each under the gateway's rate limit. */
  headers: Record<string, string>[];
  queries: number;
  concurrency: number;
}): Promise<AvailabilityRun> {
  const start = periodStart();
  const seeded = performance.now();
  const reservations = await seed(o.dbUrl, start);
  const seedSeconds = (performance.now() - seeded) / 1000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const window = (from: number, hours: number) => `${o.gateway}/cars?availableFrom=${iso(from)}&availableTo=${iso(from + hours * HOUR_MS)}`;
  const random = (n: number) => Math.floor(Math.random() * n);
  const days = Math.max(10, Math.floor(o.queries / 10));
  const querying = createProgress({ label: "bench: availability queries", total: WARM_UP_QUERIES + o.queries + days, unit: "queries" });
  const run = async (count: number, url: () => string) => {
    const results: { ms: number; free: number }[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: o.concurrency }, async () => {
      while (next++ < count) {
        results.push(await timed(url(), o.headers[next % o.headers.length]!));
        querying.tick();
      }
    }));
    return results;
  };
  await run(WARM_UP_QUERIES, () => window(start + random(FLEET.days * 24) * HOUR_MS, 3)); // warm-up
  const short = await run(o.queries, () => window(start + random(FLEET.days * 24 - 8) * HOUR_MS, 1 + random(8)));
  const day = await run(days, () => window(start + random(FLEET.days) * 24 * HOUR_MS, 24));
  querying.finish(`bench: ${WARM_UP_QUERIES} + ${o.queries} + ${days} availability queries made`);
  if (day.some((r) => r.free !== 0)) throw new Error("a whole-day window found a free car: the seed is not what the bench assumes");
  return {
    shortMs: short.map((r) => r.ms), dayMs: day.map((r) => r.ms), seedSeconds, reservations,
    meanFree: short.reduce((sum, r) => sum + r.free, 0) / short.length,
  };
}
