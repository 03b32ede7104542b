import { expect, test } from "bun:test";
import { openDatabase } from "@rentalnang/shared/db/database";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { httpClient } from "@rentalnang/shared/testing/http-client";
import { spawnWorker, type RunningProcess } from "@rentalnang/shared/testing/processes";
import { spawnRentalAndPayment } from "@rentalnang/shared/testing/rental-and-payment";

/**
 * Of many requests for one car's window released together, exactly one wins: the conflict
 * check and the insert share one write transaction, and the database serialises those, also
 * between two rental processes on one WAL database file (as two replicas on one libSQL server).
 */

const REQUESTS = 50;
const cleanup = cleanupEach();
const http = httpClient();

async function rentals(replicas: number) {
  const pair = await spawnRentalAndPayment(cleanup, `double-${replicas}`);
  const all: RunningProcess[] = [pair.rental];
  for (let n = 1; n < replicas; n++) {
    const env = { ...pair.common, DATABASE_URL: pair.dir.db("rental"), PAYMENT_URL: pair.payment.url };
    all.push(cleanup.use(await spawnWorker("rental", { env })));
  }
  return { ...pair, all };
}

/** Every request is built first and sent once all are ready, spread over the replicas in turn. */
async function burst(all: RunningProcess[], body: (n: number) => Record<string, unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const answers = Array.from({ length: REQUESTS }, async (_, n) => {
    await gate;
    return http.post(`${all[n % all.length]!.url}/rentals`, body(n));
  });
  release();
  return Promise.all(answers);
}

for (const replicas of [1, 2]) {
  test(`${REQUESTS} requests for one window, released together at ${replicas} rental process(es): one 201, ${REQUESTS - 1} × 409`, async () => {
    const { all, dir } = await rentals(replicas);
    const startAt = new Date(Math.ceil(Date.now() / 3_600_000 + 24) * 3_600_000).toISOString();
    // Windows that overlap the winner's in different ways: the same, shifted, containing it.
    const answers = await burst(all, (n) => ({
      carId: "ccc", rentHour: 2 + (n % 3), customerId: `c-${n}`,
      startAt: new Date(Date.parse(startAt) - (n % 2) * 3_600_000).toISOString(),
    }));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(REQUESTS - 1);
    const winner = answers.find((a) => a.status === 201)!.body;
    for (const lost of answers.filter((a) => a.status === 409)) {
      expect(lost.body.conflict).toEqual({ startAt: winner.startAt, endAt: winner.endAt });
    }
    if (replicas === 2) {
      // Both processes answered: the single winner was decided between them, not inside one.
      for (const p of all) expect(p.output.some((l) => l.includes('"path":"/rentals"'))).toBe(true);
    }
    const db = await openDatabase(dir.db("rental"));
    cleanup.defer(() => db.close());
    const live = await db.execute("SELECT count(*) AS n FROM rentals WHERE car_id = 'ccc' AND status IN ('PaymentPending', 'Reserved', 'Confirmed')");
    expect(Number(live.rows[0]!.n)).toBe(1);
  }, 60_000);
}
