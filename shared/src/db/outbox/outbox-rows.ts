import type { Database } from "../database.ts";
import type { Executor } from "../executor.ts";
import { RUN_GUARD } from "./redis-run.ts";
import { NEWEST_STREAM_ID_FIRST, streamIdAfter } from "./stream-ids.ts";

/** Rows read, or marked unpublished, per statement: each write stays short. */
const PAGE = 500;

export interface UnpublishedRow {
  seq: number;
  envelope: string;
}

/** Rows not yet published: the relay's backlog, the invariant facts, the status report. */
export async function countUnpublished(db: Executor): Promise<number> {
  const r = await db.execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
  return Number(r.rows[0]?.n ?? 0);
}

/** The relay's reads and writes of the outbox table. */
export const outboxRows = {
  async unpublished(db: Database, limit: number): Promise<UnpublishedRow[]> {
    const r = await db.execute({
      sql: "SELECT seq, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?",
      args: [limit],
    });
    return r.rows.map((row) => ({ seq: Number(row.seq), envelope: String(row.envelope) }));
  },

  /**
   * Marks rows published with the entry ids their XADDs got from the Redis process `runId`;
   * only while the database's rows are known to be in that process (see redis-run.ts).
   * One statement for the whole round (each row's id comes from a VALUES list), so the
   * guard and every mark are one atomic step. Returns how many were marked.
   */
  async markPublished(db: Database, rows: UnpublishedRow[], ids: string[], runId: string): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await db.execute({
      sql: `UPDATE outbox SET published_at = ?, stream_id = marks.column2
            FROM (VALUES ${rows.map(() => "(?, ?)").join(", ")}) AS marks
            WHERE outbox.seq = marks.column1 AND ${RUN_GUARD}`,
      args: [new Date().toISOString(), ...rows.flatMap((row, i) => [row.seq, ids[i]!]), runId],
    });
    return r.rowsAffected;
  },

  /** The published row whose entry is the newest (one scan, no write lock). */
  async newestPublished(db: Database): Promise<{ eventId: string; streamId: string } | undefined> {
    const r = await db.execute(
      `SELECT event_id, stream_id FROM outbox WHERE published_at IS NOT NULL AND stream_id IS NOT NULL
       ORDER BY ${NEWEST_STREAM_ID_FIRST} LIMIT 1`,
    );
    const row = r.rows[0];
    return row ? { eventId: String(row.event_id), streamId: String(row.stream_id) } : undefined;
  },

  /**
   * Marks unpublished every published row whose entry lies after `id`: pages read by seq
   * (keyset, so the whole pass is linear), each marked in its own short write.
   */
  async unpublishAfter(db: Database, id: string): Promise<number> {
    const after = streamIdAfter(id);
    let total = 0;
    for (let last = 0; ; ) {
      const page = await db.execute({
        sql: `SELECT seq FROM outbox WHERE seq > ? AND published_at IS NOT NULL
              AND (stream_id IS NULL OR ${after.sql}) ORDER BY seq LIMIT ?`,
        args: [last, ...after.args, PAGE],
      });
      const seqs = page.rows.map((row) => Number(row.seq));
      if (seqs.length === 0) return total;
      await db.execute({
        sql: `UPDATE outbox SET published_at = NULL, stream_id = NULL WHERE seq IN (${seqs.map(() => "?").join(",")})`,
        args: seqs,
      });
      total += seqs.length;
      last = seqs.at(-1)!;
      if (seqs.length < PAGE) return total;
    }
  },
};
