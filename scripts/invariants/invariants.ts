import { checkClients, type ClientRecord } from "./client-invariants.ts";
import { directSource, type FactSource, type Sources } from "./fact-source.ts";
import { checkMessaging } from "./messaging-invariants.ts";
import { checkSaga } from "./saga-invariants.ts";
import { forEachStretch } from "./saga-rows.ts";
import { checkWindows } from "./window-invariants.ts";

export type { Sources } from "./fact-source.ts";

/**
 * What must hold across the four databases and Redis once the system has settled
 * (docs/reliability.md, 'The guarantees'). Read-only: it audits, it mends nothing.
 */

export interface Report {
  counts: Record<string, number>;
  violations: string[];
}

/**
 * Audits the saga's rows (saga-invariants.ts) a stretch of rentals at a time, what clients
 * were told if given, Redis and the outboxes, and the cars' windows. The facts come straight
 * from the databases and Redis (`Sources`) or from another FactSource (the gateway's).
 */
export async function checkInvariants(src: Sources | FactSource, clients?: ClientRecord[]): Promise<Report> {
  const source = "dbs" in src ? directSource(src) : src;
  // First every worker's facts: a worker that cannot answer is known before any paging.
  const facts = await source.facts();
  const v: string[] = [];
  const told = clients ? checkClients(clients, v) : undefined;
  const counts = { rentals: 0, live: 0, cancelled: 0, payments: 0, requests: 0, views: 0 };
  await forEachStretch(source, (rows) => {
    checkSaga(rows, v);
    told?.stretch(rows.rentals);
    counts.rentals += rows.rentals.length;
    counts.live += rows.rentals.filter((r) => r.status === "Reserved" || r.status === "Confirmed").length;
    counts.cancelled += rows.rentals.filter((r) => r.status === "Cancelled").length;
    counts.payments += rows.payments.size;
    counts.requests += rows.requests.size;
    counts.views += rows.views.size;
  });
  told?.finish();
  const messaging = checkMessaging(facts, v);
  const overlaps = checkWindows(facts.rental.own.overlaps, v);
  return { counts: { ...counts, ...messaging, overlaps }, violations: v };
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
