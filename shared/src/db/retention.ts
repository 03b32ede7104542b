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
const EVERY_MS = 3600 * 1000;

/** Trims the messaging tables once an hour (and once at start). */
export function createRetention(db: Database, logger: Logger, tables: { outbox: boolean; inbox: boolean }) {
  let timer: ReturnType<typeof setInterval> | undefined;
  async function trim(now = Date.now()) {
    const removed: Record<string, number> = {};
    if (tables.outbox) {
      const r = await db.execute({
        sql: "DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ?",
        args: [new Date(now - OUTBOX_RETENTION_MS).toISOString()],
      });
      removed.outbox = r.rowsAffected;
    }
    if (tables.inbox) {
      const r = await db.execute({
        sql: "DELETE FROM inbox WHERE processed_at < ?",
        args: [new Date(now - INBOX_RETENTION_MS).toISOString()],
      });
      removed.inbox = r.rowsAffected;
    }
    if (Object.values(removed).some((n) => n > 0)) logger.info({ removed }, "trimmed old messaging rows");
    return removed;
  }
  const run = () => void trim().catch((error) => logger.warn({ err: error }, "trimming messaging rows failed"));
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
