import type { Transaction } from "@libsql/client";
import { newEventId, type Envelope, type NewEvent } from "../events/envelope.ts";
import { publishWithProbe } from "../bus/publisher.ts";
import type { Redis } from "../bus/redis.ts";
import type { Logger } from "../log/logger.ts";
import type { Database } from "./database.ts";

/** What an event was caused by: a request (correlation id) or another event. */
export interface Cause {
  correlationId: string;
  causationId?: string | null;
  traceparent?: string;
}

/** Builds the envelope a state change records, linked to what caused it. */
export function envelopeFor(event: NewEvent, source: string, cause: Cause): Envelope {
  const id = newEventId();
  return {
    id,
    type: event.type,
    version: event.version,
    occurredAt: new Date().toISOString(),
    source,
    aggregateId: event.aggregateId,
    correlationId: event.correlationId ?? cause.correlationId,
    causationId: event.causationId ?? cause.causationId ?? null,
    ...(cause.traceparent ? { traceparent: cause.traceparent } : {}),
    data: event.data,
  };
}

/** Records events in the caller's transaction (docs/architecture.md, 'Outbox'). */
export async function appendToOutbox(tx: Transaction, envelopes: Envelope[]): Promise<void> {
  const now = new Date().toISOString();
  for (const e of envelopes) {
    await tx.execute({
      sql: "INSERT INTO outbox (event_id, envelope, created_at) VALUES (?, ?, ?)",
      args: [e.id, JSON.stringify(e), now],
    });
  }
}

export interface RelayOptions {
  db: Database;
  redis: Redis;
  stream: string;
  logger: Logger;
  batchSize?: number;
  /** Sweep for rows a crash or a Redis outage left behind. */
  sweepMs?: number;
  /** Told how many rows each round trip published (for metrics). */
  onPublished?: (count: number) => void;
}

/** Published rows examined per round when looking for what a restarted Redis lost. */
const REPUBLISH_SCAN_PAGE = 500;

/**
 * Publishes outbox rows in commit order with pipelined XADD, then marks them published.
 * `wake()` right after a commit puts events on the bus with no polling delay; the sweep
 * timer catches rows left by a crash between commit and publish. A crash between XADD and
 * the mark publishes a row twice: consumers deduplicate by event id.
 */
export class OutboxRelay {
  private timer: ReturnType<typeof setInterval> | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private readonly batchSize: number;
  private redisRunId: string | undefined;
  /** An idle drain asks Redis for its run id only on the sweep (a busy one always does). */
  private probeDue = true;

  constructor(private readonly o: RelayOptions) {
    this.batchSize = o.batchSize ?? 256;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.probeDue = true;
      this.wake();
    }, this.o.sweepMs ?? 1_000);
    this.wake();
  }

  /** Asks for a drain; coalesces with one already running. */
  wake(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => {
      this.draining = undefined;
      // A wake() that came after the loop's last check must not wait for the next sweep.
      if (this.again) this.wake();
    });
  }

  /** Publishes everything committed so far (used by shutdown and tests). */
  async flush(): Promise<void> {
    await this.draining;
    this.wake();
    await this.draining;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => {});
  }

  /** Unpublished rows, for readiness details and invariant checks. */
  async backlog(): Promise<number> {
    const r = await this.o.db.execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
    return Number(r.rows[0]?.n ?? 0);
  }

  private async drainLoop(): Promise<void> {
    try {
      do {
        this.again = false;
        while ((await this.publishBatch()) === this.batchSize);
      } while (this.again);
    } catch (error) {
      this.again = false; // the sweep retries; no tight loop while Redis is away
      this.o.logger.warn({ err: error }, "outbox relay could not publish; will retry");
    }
  }

  /**
   * One round trip: the Redis run id and the stream's last id, then the batch's XADDs, in one
   * pipeline (so nothing of ours lands in between). Runs for every batch, and on the 1 s
   * sweep even with nothing to publish: that is how a Redis restart is noticed.
   *
   * When Redis comes back as a new process it may have lost its last writes (AOF
   * `appendfsync everysec` can lose about a second). Each published row records the entry id
   * XADD gave it, so the rows whose entries lie beyond the restored stream's last id are
   * exactly the lost ones: they are marked unpublished and go out again (consumers
   * deduplicate). The run id is kept in the database, so a worker that was down meanwhile
   * still notices.
   */
  private async publishBatch(): Promise<number> {
    const rows = await this.o.db.execute({
      sql: "SELECT seq, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?",
      args: [this.batchSize],
    });
    if (rows.rows.length === 0 && !this.probeDue) return 0;
    this.probeDue = false;
    const { runId, lastId, ids } = await publishWithProbe(this.o.redis, this.o.stream, rows.rows.map((r) => String(r.envelope)));
    if (this.redisRunId === undefined) {
      const known = await this.o.db.execute("SELECT value FROM relay_state WHERE key = 'redis_run_id'");
      this.redisRunId = (known.rows[0]?.value as string | undefined) ?? "";
    }
    const restarted = this.redisRunId !== "" && this.redisRunId !== runId;
    if (rows.rows.length === 0 && this.redisRunId === runId) return 0;
    const now = new Date().toISOString();
    const markPublished = rows.rows.map((r, i) => ({
      sql: "UPDATE outbox SET published_at = ?, stream_id = ? WHERE seq = ?",
      args: [now, ids[i]!, Number(r.seq)],
    }));
    const rememberRunId = {
      sql: `INSERT INTO relay_state (key, value) VALUES ('redis_run_id', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      args: [runId],
    };
    let lost = 0;
    if (!restarted) {
      // The hot path: one batch, no interactive transaction.
      await this.o.db.batch(runId === this.redisRunId ? markPublished : [...markPublished, rememberRunId]);
    } else {
      lost = await this.o.db.write(async (tx) => {
        // Found before this batch is marked: its fresh ids lie beyond lastId too.
        const lostSeqs = await findLost(tx, lastId);
        for (let i = 0; i < lostSeqs.length; i += REPUBLISH_SCAN_PAGE) {
          const chunk = lostSeqs.slice(i, i + REPUBLISH_SCAN_PAGE);
          await tx.execute({
            sql: `UPDATE outbox SET published_at = NULL, stream_id = NULL WHERE seq IN (${chunk.map(() => "?").join(",")})`,
            args: chunk,
          });
        }
        for (const statement of [...markPublished, rememberRunId]) await tx.execute(statement);
        return lostSeqs.length;
      });
    }
    this.redisRunId = runId;
    if (restarted) {
      this.o.logger.warn({ republishing: lost, lastId }, "Redis restarted; publishing again what it lost");
      this.again = true;
    }
    if (ids.length > 0) this.o.onPublished?.(ids.length);
    return rows.rows.length;
  }

}

/**
 * Published rows whose entries lie beyond `lastId`, newest first. Rows go out in seq order,
 * so the search stops after a whole page of rows the stream still has.
 */
async function findLost(tx: Transaction, lastId: string): Promise<number[]> {
  const lost: number[] = [];
  for (let offset = 0; ; offset += REPUBLISH_SCAN_PAGE) {
    const page = await tx.execute({
      sql: "SELECT seq, stream_id FROM outbox WHERE published_at IS NOT NULL ORDER BY seq DESC LIMIT ? OFFSET ?",
      args: [REPUBLISH_SCAN_PAGE, offset],
    });
    const beyond = page.rows.filter((r) => r.stream_id === null || compareStreamIds(String(r.stream_id), lastId) > 0);
    lost.push(...beyond.map((r) => Number(r.seq)));
    if (beyond.length === 0 || page.rows.length < REPUBLISH_SCAN_PAGE) return lost;
  }
}

/** Orders two stream entry ids (`<ms>-<seq>`). */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map(BigInt);
  const [bm = 0n, bs = 0n] = b.split("-").map(BigInt);
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
}
