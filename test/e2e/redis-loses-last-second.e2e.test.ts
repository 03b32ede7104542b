import { expect, test } from "bun:test";
import { Queue } from "bullmq";
import { EVENT_FIELD } from "@rentalnang/shared/bus/entries";
import { fromFlatReply } from "@rentalnang/shared/bus/flat-reply";
import { connectRedis, type Redis } from "@rentalnang/shared/bus/redis";
import type { Database } from "@rentalnang/shared/db/database";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { startRedisServer } from "@rentalnang/shared/testing/redis-server";
import { startStack } from "@rentalnang/shared/testing/stack";
import { queuePrefix, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { publisherOf, queues, streamNames, type StreamName, type WorkerName } from "@rentalnang/shared/topology/topology";
import { createLoad } from "../../scripts/chaos/load.ts";
import { CONSUMER as DELIVERY_CONSUMER } from "../../workers/delivery/src/events/event-handler.ts";
import { CONSUMER as PAYMENT_CONSUMER } from "../../workers/payment/src/events/event-handler.ts";
import { CONSUMER as RENTAL_CONSUMER } from "../../workers/rental/src/events/event-handler.ts";
import { checkInvariants, type Report } from "../../scripts/invariants/invariants.ts";

/**
 * Redis crashes and comes back from an AOF a second old, as after a power cut with
 * `appendfsync everysec`: the stream entries, acks, consumer-group cursors and BullMQ jobs of
 * that second are gone, while the databases kept everything. A real stack runs under load
 * through the restart. Afterwards nothing is lost: every event the restored Redis forgot is
 * published anew from its outbox and handled (the views of a mypage that was down meanwhile
 * are complete, the inboxes hold the lost cancellations and confirmations), every
 * confirmation job it forgot is created again from the redelivered PaymentApproved and run.
 * Nothing happened twice (each effect's event is in its outbox once), and every invariant of
 * check-invariants holds. The stream itself is no witness: acked entries are trimmed.
 */

const TEST_TIMEOUT_MS = 150_000;
const JOB_STATES = ["completed", "waiting", "active", "delayed", "failed", "prioritized"] as const;
const cleanup = cleanupEach();

interface LostEvent {
  eventId: string;
  type: string;
}

/** The events handled through an inbox, and who records them (worker, inbox consumer). */
const INBOX_CONSUMERS: Record<string, [WorkerName, string][]> = {
  RentalCancelled: [["payment", PAYMENT_CONSUMER], ["delivery", DELIVERY_CONSUMER]],
  ReservationConfirmed: [["rental", RENTAL_CONSUMER]],
};

interface RedisState {
  /** Per stream: entry id → its event. */
  entries: Record<StreamName, Map<string, LostEvent>>;
  /** Confirmation job id → its state. */
  jobs: Map<string, string>;
  /** `<group> on <stream>` → last delivered entry id. */
  cursors: Map<string, string>;
}

async function readState(redis: Redis, queue: Queue, prefix: string): Promise<RedisState> {
  const entries = {} as RedisState["entries"];
  const cursors = new Map<string, string>();
  for (const name of streamNames) {
    const key = streamKey(prefix, name);
    const range = await redis.xrange(key, "-", "+");
    entries[name] = new Map(range.map(([id, fields]) => {
      const event = JSON.parse(fromFlatReply(fields)[EVENT_FIELD]!) as { id: string; type: string };
      return [id, { eventId: event.id, type: event.type }];
    }));
    for (const g of ((await redis.xinfo("GROUPS", key)) as unknown[][]).map(fromFlatReply)) {
      cursors.set(`${g.name} on ${name}`, String(g["last-delivered-id"]));
    }
  }
  const jobs = new Map<string, string>();
  for (const state of JOB_STATES) for (const job of await queue.getJobs([state])) if (job?.id) jobs.set(job.id, state);
  return { entries, jobs, cursors };
}

/** The events of `before` the restored Redis no longer holds, by stream. */
function lostEntries(before: RedisState, restored: RedisState): Record<StreamName, LostEvent[]> {
  return Object.fromEntries(
    streamNames.map((name) => [name, [...before.entries[name]].filter(([id]) => !restored.entries[name].has(id)).map(([, event]) => event)]),
  ) as Record<StreamName, LostEvent[]>;
}

/** Outbox rows that announce the same change twice (one type for one aggregate). */
async function repeatedEffects(db: Database): Promise<string[]> {
  const r = await db.execute(
    `SELECT json_extract(envelope, '$.type') AS type, json_extract(envelope, '$.aggregateId') AS aggregate, count(*) AS n
       FROM outbox GROUP BY type, aggregate HAVING n > 1`,
  );
  return r.rows.map((row) => `${row.type} for ${row.aggregate} ×${row.n}`);
}

async function inboxHolds(db: Database, consumer: string, eventId: string): Promise<boolean> {
  const r = await db.execute({ sql: "SELECT 1 FROM inbox WHERE consumer = ? AND event_id = ?", args: [consumer, eventId] });
  return r.rows.length > 0;
}

test(
  "Redis restarted from an AOF one second old: what it forgot is published and queued again, nothing twice",
  async () => {
    const server = await startRedisServer();
    cleanup.defer(() => server.stop());
    // Every request's first attempt (made at once) fails, so each PaymentApproved becomes a
    // job; jobs wait half a second before their work, so the lost second holds jobs that never ran.
    const faults = { FAULT_JOB_FAILURES: "1", FAULT_JOB_DELAY_MS: "500" };
    const stack = await startStack({ delivery: faults }, server.url, { auth: "off" }); // lab mode: this is about Redis, not access
    cleanup.defer(() => stack.stop());
    const redis = connectRedis(server.url, "command", "test");
    cleanup.defer(() => redis.disconnect());
    const queueConnection = redis.duplicate();
    const queue = new Queue(queues[0]!.name, { connection: queueConnection, prefix: queuePrefix(stack.prefix) });
    cleanup.defer(async () => {
      await queue.close();
      queueConnection.disconnect();
    });

    const load = createLoad({ baseUrl: () => stack.gateway.url, clients: 3, cancelRatio: 0.3, confirmRatio: 0.3, answerDeadlineMs: 60_000 });
    let stopLoad!: () => void;
    const loadDone = load.run(new Promise<void>((r) => (stopLoad = r)));
    const answered = () => load.records.length;
    await eventually(() => answered() >= 10, { what: "ten answered reservations", timeoutMs: 30_000 });

    // mypage is down through the lost second: the events of that second reach the views only
    // if they are published again (the other consumers handle theirs within milliseconds,
    // before the crash, and would hide a lost event).
    await stack.procs.mypage.kill();
    await server.snapshotAof();
    const snapshotAt = Date.now();
    const answeredAtSnapshot = answered();
    // The second the crash will lose, with some reservations in it.
    await eventually(() => Date.now() - snapshotAt >= 1_000 && answered() >= answeredAtSnapshot + 5, { what: "a second of load", timeoutMs: 30_000 });
    const before = await readState(redis, queue, stack.prefix);
    await server.restartFromSnapshot();
    const restored = await readState(redis, queue, stack.prefix);
    await stack.restartWith("mypage");

    const lost = lostEntries(before, restored);
    const lostJobs = [...before.jobs.keys()].filter((id) => !restored.jobs.has(id));
    const lostUnrun = lostJobs.filter((id) => before.jobs.get(id) !== "completed");
    const rewound = [...before.cursors].filter(([k, id]) => restored.cursors.get(k) !== id).map(([k]) => k);
    console.log(
      `the restored Redis forgot ${Object.entries(lost).map(([s, events]) => `${events.length} ${s} entries`).join(", ")}; ` +
        `${lostJobs.length} jobs (${lostUnrun.length} not run yet); rewound cursors: ${rewound.join(", ")}`,
    );
    expect(lost.rental.length).toBeGreaterThan(0);
    expect(lost.payment.length).toBeGreaterThan(0);
    expect(lostJobs.length).toBeGreaterThan(0);
    expect(rewound.length).toBeGreaterThan(0);

    // Load goes on against the restored Redis for a while, then the system settles.
    const restartedAt = Date.now();
    await eventually(() => Date.now() - restartedAt >= 2_000 && answered() >= answeredAtSnapshot + 10, { what: "load after the restart", timeoutMs: 30_000 });
    stopLoad();
    await loadDone;
    expect(load.lost).toEqual([]);
    const dbs = await stack.databases();
    let report: Report | undefined;
    await eventually(
      async () => {
        report = await checkInvariants({ dbs, redis, prefix: stack.prefix }, load.records);
        return report.violations.length === 0;
      },
      { what: "every invariant", timeoutMs: 60_000 },
    ).catch(() => expect(report?.violations).toEqual([]));

    // Every event the restart lost reached its consumers again: the inboxes hold the ones
    // handled with an inbox, and each lost PaymentApproved has its job again, run to the end.
    const settled = await readState(redis, queue, stack.prefix);
    const lostEvents = Object.values(lost).flat();
    for (const { type, eventId } of lostEvents) {
      for (const [worker, consumer] of INBOX_CONSUMERS[type] ?? []) {
        expect({ type, eventId, consumer, handled: await inboxHolds(dbs[worker], consumer, eventId) }).toMatchObject({ handled: true });
      }
    }
    const lostApprovals = lostEvents.filter((e) => e.type === "PaymentApproved").map((e) => e.eventId);
    expect(lostApprovals.filter((id) => settled.jobs.get(id) !== "completed")).toEqual([]);
    // Every job the restart lost was created again from its redelivered PaymentApproved, and ran.
    expect(lostJobs.filter((id) => settled.jobs.get(id) !== "completed")).toEqual([]);
    // Redelivered entries (lost acks, rewound cursors) changed nothing twice.
    for (const name of streamNames) expect(await repeatedEffects(dbs[publisherOf(name)])).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);
