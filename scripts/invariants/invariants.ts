import { Queue } from "bullmq";
import type { Redis } from "@rentalnang/shared/bus/redis";
import type { Database } from "@rentalnang/shared/db/database";
import { deadLetterKey, queuePrefix, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups, queues, workerNames, workerTopology, type WorkerName } from "@rentalnang/shared/topology/topology";
import { confirmationStatusOf, paymentStatusOf, statusOf, type Mypage } from "../../workers/mypage/src/mypages/mypage.ts";

/**
 * What must hold across the four databases and Redis once the system has settled
 * (docs/reliability.md, 'The guarantees'). Read-only: it audits, it mends nothing.
 */

export interface Sources {
  dbs: Record<WorkerName, Database>;
  redis: Redis;
  prefix: string;
}

/** What a client was told, from the chaos load generator (optional). */
export interface ClientRecord {
  key: string;
  status: 201 | 402 | 503;
  rentalId: number;
  /** The client cancelled it afterwards and was told 204. */
  cancelled: boolean;
}

export interface Report {
  counts: Record<string, number>;
  violations: string[];
}

interface RentalRow { id: number; status: string; reason: string | null; paymentId: number | null; deleted: boolean; key: string | null }

export async function checkInvariants(src: Sources, clients?: ClientRecord[]): Promise<Report> {
  const v: string[] = [];
  const { rental, payment, delivery, mypage } = src.dbs;

  const rentals = (await rental.execute(
    `SELECT r.id, r.status, r.cancel_reason, r.payment_id, r.deleted_at, k.key
       FROM rentals r LEFT JOIN idempotency_keys k ON k.rental_id = r.id`,
  )).rows.map((r): RentalRow => ({
    id: Number(r.id), status: String(r.status), reason: r.cancel_reason as string | null,
    paymentId: r.payment_id === null ? null : Number(r.payment_id), deleted: r.deleted_at !== null, key: r.key as string | null,
  }));
  const payments = new Map((await payment.execute("SELECT id, rental_id, status FROM payments")).rows
    .map((r) => [Number(r.rental_id), { id: Number(r.id), status: String(r.status) }]));
  const requests = new Map((await delivery.execute("SELECT id, rental_id, status FROM deliveries")).rows
    .map((r) => [Number(r.rental_id), { id: Number(r.id), status: String(r.status) }]));
  const views = new Map((await mypage.execute("SELECT rental_id, facts FROM mypages")).rows
    .map((r) => [Number(r.rental_id), JSON.parse(String(r.facts)) as Mypage]));
  const known = new Set(rentals.map((r) => r.id));

  for (const r of rentals) {
    const p = payments.get(r.id);
    const d = requests.get(r.id);
    const view = views.get(r.id);
    const live = r.status === "Reserved" || r.status === "Confirmed";
    if (r.status === "PaymentPending") v.push(`rental ${r.id} is stuck in PaymentPending`);
    if (live) {
      if (r.deleted) v.push(`rental ${r.id} is ${r.status} but deleted`);
      if (p?.status !== "Approved" || p.id !== r.paymentId) v.push(`rental ${r.id} is ${r.status} but its payment is ${p ? `${p.id} ${p.status}` : "missing"}`);
      const want = r.status === "Confirmed" ? "Confirmed" : "PendingConfirmation";
      if (d?.status !== want) v.push(`rental ${r.id} is ${r.status} but its confirmation request is ${d?.status ?? "missing"}`);
      const wantView = r.status === "Confirmed" ? "Confirmed" : "AwaitingConfirmation";
      if (!view) v.push(`rental ${r.id} has no mypage row`);
      else if (statusOf(view) !== wantView || paymentStatusOf(view) !== "Approved" || confirmationStatusOf(view) !== want) {
        v.push(`rental ${r.id} is ${r.status} but mypage shows ${statusOf(view)}/${paymentStatusOf(view)}/${confirmationStatusOf(view)}`);
      }
    }
    if (r.status === "Cancelled") {
      if (p?.status === "Approved") v.push(`cancelled rental ${r.id} (${r.reason}) keeps an Approved charge (payment ${p.id})`);
      if (d && d.status !== "Cancelled") v.push(`cancelled rental ${r.id} keeps a live confirmation request (${d.status})`);
      if ((r.reason === "customer") !== r.deleted) v.push(`rental ${r.id} cancelled for ${r.reason} has deleted=${r.deleted}`);
      if (!view) v.push(`cancelled rental ${r.id} has no mypage row`);
      else {
        if (statusOf(view) !== "Cancelled" || view.cancelReason !== r.reason) {
          v.push(`cancelled rental ${r.id} (${r.reason}) shows ${statusOf(view)} (${view.cancelReason}) on mypage`);
        }
        const paid = p?.status ?? (r.reason === "payment-declined" ? "Declined" : null);
        if (paymentStatusOf(view) !== paid) v.push(`rental ${r.id}: mypage says payment ${paymentStatusOf(view)}, payment says ${paid}`);
        if (d && confirmationStatusOf(view) !== "Cancelled") v.push(`rental ${r.id}: mypage says request ${confirmationStatusOf(view)}, delivery says Cancelled`);
      }
    }
  }
  for (const [rentalId, p] of payments) if (!known.has(rentalId)) v.push(`payment ${p.id} (${p.status}) is for unknown rental ${rentalId}`);
  for (const [rentalId, d] of requests) if (!known.has(rentalId)) v.push(`confirmation request ${d.id} is for unknown rental ${rentalId}`);
  for (const rentalId of views.keys()) if (!known.has(rentalId)) v.push(`mypage row for unknown rental ${rentalId}`);

  if (clients) checkClients(clients, rentals, v);

  const backlog: Record<string, number> = {};
  for (const name of workerNames.filter((w) => workerTopology(w).publishes)) {
    const r = await src.dbs[name].execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
    backlog[name] = Number(r.rows[0]!.n);
    if (backlog[name]) v.push(`${name} has ${backlog[name]} unpublished outbox rows`);
  }
  let pending = 0;
  let deadLetters = 0;
  for (const { group, streams } of consumerGroups) {
    for (const name of streams) {
      const stream = streamKey(src.prefix, name);
      const summary = (await src.redis.xpending(stream, group).catch(() => [0])) as [number];
      if (Number(summary[0]) > 0) v.push(`${group} has ${summary[0]} pending entries on ${stream}`);
      pending += Number(summary[0]);
    }
    const dead = await src.redis.xlen(deadLetterKey(src.prefix, group));
    if (dead > 0) v.push(`${group} has ${dead} dead letters`);
    deadLetters += dead;
  }
  for (const { name } of queues) {
    const connection = src.redis.duplicate();
    const queue = new Queue(name, { connection, prefix: queuePrefix(src.prefix) });
    const jobs = await queue.getJobCounts("waiting", "active", "delayed", "failed");
    await queue.close();
    connection.disconnect(); // BullMQ does not close a connection it was handed
    for (const [state, n] of Object.entries(jobs)) if (n > 0) v.push(`${n} job(s) ${state} in queue ${name}`);
  }

  return {
    counts: {
      rentals: rentals.length,
      live: rentals.filter((r) => r.status === "Reserved" || r.status === "Confirmed").length,
      cancelled: rentals.filter((r) => r.status === "Cancelled").length,
      payments: payments.size,
      requests: requests.size,
      views: views.size,
      pendingEntries: pending,
      deadLetters,
      unpublished: Object.values(backlog).reduce((a, b) => a + b, 0),
    },
    violations: v,
  };
}

function checkClients(clients: ClientRecord[], rentals: RentalRow[], v: string[]) {
  const byId = new Map(rentals.map((r) => [r.id, r]));
  const keys = new Map<string, number>();
  for (const c of clients) {
    const seen = keys.get(c.key);
    if (seen !== undefined && seen !== c.rentalId) v.push(`key ${c.key} answered with two rentals (${seen}, ${c.rentalId})`);
    keys.set(c.key, c.rentalId);
    const r = byId.get(c.rentalId);
    if (!r) {
      v.push(`client was told ${c.status} for rental ${c.rentalId}, which does not exist`);
      continue;
    }
    const expected =
      c.status === 201 ? (c.cancelled ? "Cancelled/customer" : "live")
      : c.status === 402 ? "Cancelled/payment-declined"
      : "Cancelled/payment-unavailable";
    const actual = r.status === "Reserved" || r.status === "Confirmed" ? "live" : `${r.status}/${r.reason}`;
    if (actual !== expected) v.push(`client was told ${c.status}${c.cancelled ? "+204" : ""} for rental ${r.id}, which is ${actual}`);
  }
  for (const r of rentals) {
    if (r.key !== null && !keys.has(r.key)) v.push(`rental ${r.id} (key ${r.key}) exists but no client was told about it`);
  }
}

export function formatReport(report: Report): string {
  const lines = [
    "invariants:",
    ...Object.entries(report.counts).map(([k, n]) => `  ${k.padEnd(16)} ${n}`),
    `  ${"violations".padEnd(16)} ${report.violations.length}`,
    ...report.violations.slice(0, 50).map((x) => `  ✗ ${x}`),
  ];
  if (report.violations.length > 50) lines.push(`  … and ${report.violations.length - 50} more`);
  return lines.join("\n");
}
