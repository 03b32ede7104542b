import type { Redis } from "@rentalnang/shared/bus/redis";
import type { Database } from "@rentalnang/shared/db/database";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import { checkClients, type ClientRecord } from "./client-invariants.ts";
import { checkMessaging } from "./messaging-invariants.ts";
import { checkSaga } from "./saga-invariants.ts";
import { readSagaRows } from "./saga-rows.ts";
import { checkWindows } from "./window-invariants.ts";

/**
 * What must hold across the four databases and Redis once the system has settled
 * (docs/reliability.md, 'The guarantees'). Read-only: it audits, it mends nothing.
 */

export interface Sources {
  dbs: Record<WorkerName, Database>;
  redis: Redis;
  prefix: string;
}

export interface Report {
  counts: Record<string, number>;
  violations: string[];
}

/** Audits the saga's rows (saga-invariants.ts), what clients were told if given, Redis, and the cars' windows. */
export async function checkInvariants(src: Sources, clients?: ClientRecord[]): Promise<Report> {
  const v: string[] = [];
  const rows = await readSagaRows(src.dbs);
  checkSaga(rows, v);
  if (clients) checkClients(clients, rows.rentals, v);
  const messaging = await checkMessaging(src, v);
  const overlaps = await checkWindows(src.dbs.rental, v);
  const { rentals } = rows;
  return {
    counts: {
      rentals: rentals.length,
      live: rentals.filter((r) => r.status === "Reserved" || r.status === "Confirmed").length,
      cancelled: rentals.filter((r) => r.status === "Cancelled").length,
      payments: rows.payments.size,
      requests: rows.requests.size,
      views: rows.views.size,
      pendingEntries: messaging.pendingEntries,
      deadLetters: messaging.deadLetters,
      unpublished: messaging.unpublished,
      overlaps,
    },
    violations: v,
  };
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
