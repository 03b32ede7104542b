import type { Database } from "@rentalnang/shared/db/database";

/**
 * The loaded phase: reservations through the gateway, `concurrency` at a time, while a watcher
 * reads mypage's view (its database, so the reading costs the stack nothing) for the rentals
 * that reached AwaitingConfirmation: a full saga, POST 201 → payment → delivery's request →
 * mypage. It ends when every 201 has reached it, or `settleMs` after the last POST.
 */

export interface Slot {
  carId: string;
  startAt: string;
  rentHour: number;
}

export interface SagaLoadOptions {
  gateway: string;
  /** mypage's database, read by the watcher. */
  mypageDb: Database;
  /** Customers' tokens; reservation i is customer i % length's. */
  tokens: string[];
  total: number;
  concurrency: number;
  slot: (i: number) => Slot;
  /** Rental ids up to this one are from before the load (warm-up, unloaded samples). */
  idsAfter: number;
  settleMs: number;
  /** Called after each POST answered. */
  tick?: () => void;
}

export interface SagaLoadRun {
  /** Milliseconds of each POST /rentals. */
  postMs: number[];
  statuses: Record<number, number>;
  /** Each 201's rental id → when it was answered (performance.now()), and the customer who made it. */
  created: Map<number, { at: number; customer: number }>;
  /** Rental id → when the watcher first saw it AwaitingConfirmation. */
  reached: Map<number, number>;
  startedAt: number;
  postsEndedAt: number;
  /** When the last of the created rentals was seen AwaitingConfirmation (or the watch gave up). */
  endedAt: number;
}

const WATCH_EVERY_MS = 10;

export async function runSagaLoad(o: SagaLoadOptions): Promise<SagaLoadRun> {
  const run: SagaLoadRun = { postMs: [], statuses: {}, created: new Map(), reached: new Map(), startedAt: performance.now(), postsEndedAt: 0, endedAt: 0 };
  let posting = true;
  const watching = watch(o, run, () => posting);
  let next = 0;
  await Promise.all(Array.from({ length: o.concurrency }, async () => {
    while (next < o.total) {
      const i = next++;
      await reserve(o, run, i);
      o.tick?.();
    }
  }));
  run.postsEndedAt = performance.now();
  posting = false;
  await watching;
  return run;
}

async function reserve(o: SagaLoadOptions, run: SagaLoadRun, i: number): Promise<void> {
  const customer = i % o.tokens.length;
  const t0 = performance.now();
  const res = await fetch(`${o.gateway}/rentals`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": `bench-load-${i}`, authorization: `Bearer ${o.tokens[customer]}` },
    body: JSON.stringify(o.slot(i)),
  });
  const body = (await res.json()) as { id?: number };
  const at = performance.now();
  run.postMs.push(at - t0);
  run.statuses[res.status] = (run.statuses[res.status] ?? 0) + 1;
  if (res.status === 201) run.created.set(body.id!, { at, customer });
}

/**
 * Reads mypage's view until every created rental is AwaitingConfirmation (once the POSTs ended),
 * or it gives up. Each read starts at a floor, the lowest id not yet seen there: every id below
 * it is recorded already, so a read no longer returns the whole run's rows again. (Not the
 * lowest created one: a rental whose 201 is still on its way is not in `created` yet.)
 */
async function watch(o: SagaLoadOptions, run: SagaLoadRun, posting: () => boolean): Promise<void> {
  let giveUpAt = Infinity;
  let floor = o.idsAfter + 1;
  for (;;) {
    const r = await o.mypageDb.execute({
      sql: "SELECT rental_id FROM mypages WHERE status = 'AwaitingConfirmation' AND rental_id >= ?",
      args: [floor],
    });
    const now = performance.now();
    for (const row of r.rows) {
      const id = Number(row.rental_id);
      if (!run.reached.has(id)) run.reached.set(id, now);
    }
    while (run.reached.has(floor)) floor++;
    if (!posting()) {
      giveUpAt = Math.min(giveUpAt, now + o.settleMs);
      const missing = [...run.created.keys()].some((id) => !run.reached.has(id));
      if (!missing || now >= giveUpAt) {
        run.endedAt = missing ? now : Math.max(...[...run.created.keys()].map((id) => run.reached.get(id)!));
        return;
      }
    }
    await Bun.sleep(WATCH_EVERY_MS);
  }
}
