import { redisErrorCode, type Redis } from "../../bus/redis.ts";
import type { RedisMemory } from "../../bus/redis-memory.ts";
import type { Logger } from "../../log/logger.ts";
import type { Database } from "../database.ts";
import { countUnpublished } from "./outbox-rows.ts";
import { PublishRound } from "./publish-round.ts";

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
  /** Redis memory against its budget: over it, nothing is published and rows wait here. */
  memory?: RedisMemory | undefined;
  /** Where the stream's trimmer records what it trimmed, for the check after a Redis restart. */
  trimmedToKey?: string | undefined;
}

/** What a stream entry takes in Redis beyond its envelope (id, field name, listpack), roughly. */
const ENTRY_OVERHEAD_BYTES = 100;

/**
 * What publishing an envelope adds to Redis while it happens: the entry, and the command in
 * the connection's query buffer until Redis has read it.
 */
const costInRedis = (envelope: string) => 2 * (envelope.length + ENTRY_OVERHEAD_BYTES);

/** Why the relay holds its rows back, while it does. */
export type PauseReason = "over-memory-budget" | "redis-out-of-memory";

/**
 * Publishes outbox rows in commit order with pipelined XADD, then marks them published.
 * `wake()` right after a commit puts events on the bus with no polling delay; the sweep
 * timer catches rows left by a crash between commit and publish, and probes Redis even when
 * idle, which is how a restarted Redis is noticed (see PublishRound). A crash between XADD
 * and the mark publishes a row twice: consumers deduplicate by event id.
 */
export class OutboxRelay {
  private timer: ReturnType<typeof setInterval> | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private readonly batchSize: number;
  private readonly round: PublishRound;
  /** The next round asks Redis for its run id (each sweep; otherwise only on a new connection, see PublishRound). */
  private probeDue = true;
  private pause: PauseReason | undefined;

  constructor(private readonly o: RelayOptions) {
    this.batchSize = o.batchSize ?? 256;
    this.round = new PublishRound({
      db: o.db, redis: o.redis, stream: o.stream, trimmedToKey: o.trimmedToKey, logger: o.logger, batchSize: this.batchSize,
    });
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

  /** Why rows are held back now, or undefined while the relay publishes. */
  get paused(): PauseReason | undefined {
    return this.pause;
  }

  /** Unpublished rows, for readiness details and invariant checks. */
  backlog(): Promise<number> {
    return countUnpublished(this.o.db);
  }

  private async drainLoop(): Promise<void> {
    try {
      do {
        this.again = false;
        while ((await this.publishBatch()) === this.batchSize);
      } while (this.again);
    } catch (error) {
      this.again = false; // the sweep retries; no tight loop while Redis is away
      // A full Redis refused the XADDs: nothing is lost, the rows wait here like over the budget.
      if (redisErrorCode(error) === "OOM") this.setPause("redis-out-of-memory");
      else this.o.logger.warn({ err: error }, "outbox relay could not publish; will retry");
    }
  }

  private setPause(reason: PauseReason | undefined): void {
    if (reason === this.pause) return;
    if (reason) this.o.logger.warn({ reason }, "Redis memory is at its budget: events wait in the outbox until it has room");
    else this.o.logger.info({ was: this.pause }, "Redis has room again: publishing the outbox");
    this.pause = reason;
  }

  /**
   * The room left under the memory budget (undefined: no budget; held, after pausing, when
   * there is none): a batch goes out only as far as it fits.
   */
  private async room(): Promise<{ held: boolean; room?: number }> {
    if (!this.o.memory) return { held: false };
    const room = await this.o.memory.room();
    if (room === undefined || room > 0) return { held: false, room };
    const reading = await this.o.memory.read();
    this.setPause(reading.outOfMemory ? "redis-out-of-memory" : "over-memory-budget");
    return { held: true };
  }

  private async publishBatch(): Promise<number> {
    const { held, room } = await this.room();
    if (held) return 0;
    const probe = this.probeDue;
    this.probeDue = false;
    const outcome = await this.round.run(probe, room === undefined ? undefined : { room, costOf: costInRedis });
    if (outcome.cut && outcome.added === 0) {
      this.setPause("over-memory-budget"); // not even the oldest row fits
      return 0;
    }
    this.o.memory?.wrote(outcome.bytes + outcome.added * ENTRY_OVERHEAD_BYTES);
    this.setPause(undefined);
    if (outcome.more) this.again = true;
    if (outcome.added > 0) this.o.onPublished?.(outcome.added);
    // A batch cut short by the room left goes round again, to pause there if none is left.
    return outcome.cut ? this.batchSize : outcome.rows;
  }
}
