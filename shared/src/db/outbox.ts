import type { Transaction } from "@libsql/client";
import { newEventId, type Envelope, type NewEvent } from "../events/envelope.ts";
import { publishAll } from "../bus/publisher.ts";
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

/** Records events in the caller's transaction (DESIGN.md decision 1). */
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
  /**
   * When Redis restarts (its run_id changes) it may have lost its last writes (AOF
   * `appendfsync everysec` loses up to about a second): rows published this recently are
   * published again. Consumers deduplicate by event id.
   */
  republishWindowMs?: number;
  /** Told how many rows each round trip published (for metrics). */
  onPublished?: (count: number) => void;
}

const DEFAULT_REPUBLISH_WINDOW_MS = 10_000;

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

  constructor(private readonly o: RelayOptions) {
    this.batchSize = o.batchSize ?? 256;
  }

  start(): void {
    const sweep = () =>
      this.checkRedisRestart()
        .catch(() => {}) // Redis away: the drain fails and says so
        .finally(() => this.wake());
    this.timer = setInterval(sweep, this.o.sweepMs ?? 1_000);
    sweep();
  }

  /**
   * Republishes the rows published shortly before Redis last started, when it is a Redis
   * process this database has not seen before. The run id is kept in the database, so a
   * worker that was itself down while Redis restarted still notices.
   */
  async checkRedisRestart(): Promise<void> {
    const info = await this.o.redis.info("server");
    const runId = /run_id:(\w+)/.exec(info)?.[1];
    const uptimeS = Number(/uptime_in_seconds:(\d+)/.exec(info)?.[1] ?? 0);
    if (!runId || runId === this.redisRunId) return;
    const known = await this.o.db.execute({ sql: "SELECT value FROM relay_state WHERE key = 'redis_run_id'" });
    const previous = known.rows[0]?.value as string | undefined;
    const windowMs = this.o.republishWindowMs ?? DEFAULT_REPUBLISH_WINDOW_MS;
    const since = new Date(Date.now() - uptimeS * 1000 - windowMs).toISOString();
    const republished = await this.o.db.write(async (tx) => {
      await tx.execute({
        sql: `INSERT INTO relay_state (key, value) VALUES ('redis_run_id', ?)
              ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        args: [runId],
      });
      if (previous === undefined || previous === runId) return 0;
      const r = await tx.execute({ sql: "UPDATE outbox SET published_at = NULL WHERE published_at >= ?", args: [since] });
      return r.rowsAffected;
    });
    this.redisRunId = runId;
    if (previous !== undefined && previous !== runId) {
      this.o.logger.warn({ republished, since }, "Redis restarted; publishing the events around its restart again");
    }
  }

  /** Asks for a drain; coalesces with one already running. */
  wake(): void {
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => (this.draining = undefined));
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
      this.o.logger.warn({ err: error }, "outbox relay could not publish; will retry");
    }
  }

  private async publishBatch(): Promise<number> {
    const rows = await this.o.db.execute({
      sql: "SELECT seq, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?",
      args: [this.batchSize],
    });
    if (rows.rows.length === 0) return 0;
    await publishAll(this.o.redis, this.o.stream, rows.rows.map((r) => String(r.envelope)));
    const seqs = rows.rows.map((r) => Number(r.seq));
    await this.o.db.execute({
      sql: `UPDATE outbox SET published_at = ? WHERE seq IN (${seqs.map(() => "?").join(",")})`,
      args: [new Date().toISOString(), ...seqs],
    });
    this.o.onPublished?.(seqs.length);
    return rows.rows.length;
  }
}
