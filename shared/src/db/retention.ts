import type { Logger } from "../log/logger.ts";
import type { Database } from "./database.ts";

/**
 * Published outbox rows are kept a week (the Redis-restart republish needs only minutes);
 * inbox rows a month. Past that, every handler is idempotent by state as well (a refund of a
 * refunded payment, a cancel of a cancelled request change nothing), so a very late
 * redelivery is still harmless.
 */
export const OUTBOX_RETENTION_MS = 7 * 24 * 3600 * 1000;
export const INBOX_RETENTION_MS = 30 * 24 * 3600 * 1000;
/**
 * A tombstone (a rental's cancellation seen before its charge or its confirmation request)
 * only has to outlive the event it stops. That event comes from an outbox row, published
 * within minutes, or from a stream entry, kept at most STREAM_RETENTION_HOURS (a week by
 * default) and redriven from dead letters by an operator within days. 30 days is well past
 * all of those, and matches the inbox, which forgets the event ids themselves at 30 days.
 */
export const TOMBSTONE_RETENTION_MS = 30 * 24 * 3600 * 1000;
const EVERY_MS = 3600 * 1000;

export interface RetainedTables {
  outbox: boolean;
  inbox: boolean;
  /** Tombstone tables (a `cancelled_at` column), trimmed after TOMBSTONE_RETENTION_MS. */
  tombstones?: string[];
  /** Tables whose rows carry their own end (an `expires_at` column), deleted once past it. */
  expiring?: string[];
}

interface Rule {
  table: string;
  where: string;
  keepMs: number;
}

function rulesFor(tables: RetainedTables): Rule[] {
  return [
    ...(tables.outbox ? [{ table: "outbox", where: "published_at IS NOT NULL AND published_at < ?", keepMs: OUTBOX_RETENTION_MS }] : []),
    ...(tables.inbox ? [{ table: "inbox", where: "processed_at < ?", keepMs: INBOX_RETENTION_MS }] : []),
    ...(tables.tombstones ?? []).map((table) => ({ table, where: "cancelled_at < ?", keepMs: TOMBSTONE_RETENTION_MS })),
    ...(tables.expiring ?? []).map((table) => ({ table, where: "expires_at <= ?", keepMs: 0 })),
  ];
}

/** Trims the messaging, tombstone and expiring tables once an hour (and once at start). */
export function createRetention(db: Database, logger: Logger, tables: RetainedTables) {
  const rules = rulesFor(tables);
  let timer: ReturnType<typeof setInterval> | undefined;
  async function trim(now = Date.now()) {
    const removed: Record<string, number> = {};
    for (const rule of rules) {
      const r = await db.execute({ sql: `DELETE FROM ${rule.table} WHERE ${rule.where}`, args: [new Date(now - rule.keepMs).toISOString()] });
      removed[rule.table] = r.rowsAffected;
    }
    if (Object.values(removed).some((n) => n > 0)) logger.info({ removed }, "trimmed old rows");
    return removed;
  }
  const run = () => void trim().catch((error) => logger.warn({ err: error }, "trimming old rows failed"));
  return {
    name: "retention",
    trim,
    start() {
      run();
      timer = setInterval(run, EVERY_MS);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
