import type { Logger } from "../../log/logger.ts";
import { AttemptLedger } from "./attempts.ts";
import { BatchProcessor, type Observe } from "./batch-processor.ts";
import { ensureGroup } from "../consumer-group.ts";
import { DegradedClock, type DegradedState } from "./degraded.ts";
import { deliveryCounts } from "./delivery-counts.ts";
import type { StreamEntry } from "../entries.ts";
import type { Accepted, BatchHandler, EventHandler, TransientTest } from "./handlers.ts";
import { Janitor } from "./janitor.ts";
import { runReadLoop } from "./read-loop.ts";
import type { Redis } from "../redis.ts";

export interface ConsumerOptions {
  /** For short commands: XACK, XAUTOCLAIM, dead letters, attempts. */
  redis: Redis;
  /** Opens the dedicated connection that XREADGROUP ... BLOCK ties up. */
  openBlocking: () => Redis;
  streams: string[];
  group: string;
  consumer: string;
  deadLetterStream: string;
  /** The group's attempts hash (`attemptsKey(prefix, group)`): deaths and own failures per entry. */
  attemptsKey: string;
  handle: EventHandler;
  /** Optional: takes the batch in one go, for handlers that can (a projection). */
  handleMany?: BatchHandler | undefined;
  /** Optional: the event types the handlers act on; others are acked untouched (handlers.ts). */
  accepts?: Accepted | undefined;
  /**
   * Says which handler errors mean "a dependency is away" (the database, Redis): those only
   * delay the entry, however long the outage, and make the consumer report itself degraded.
   * Any other error is the entry's own. The bus knows no error codes: the caller does.
   */
  isTransient?: TransientTest;
  logger: Logger;
  batchSize?: number;
  blockMs?: number;
  /** An entry whose handler failed this many times with an error of its own is dead-lettered. */
  maxDeliveries?: number;
  /** An entry that this many processes died holding (one at a time) is dead-lettered. At least 2. */
  maxCrashes?: number;
  /** An entry pending longer than this is presumed abandoned (longer than the slowest handler). */
  claimIdleMs?: number;
  /** Pause after an error talking to Redis before reading again. */
  retryDelayMs?: number;
  /** Told how each entry ended (for metrics). */
  observe?: Observe;
}

const DEFAULTS = {
  isTransient: () => false,
  observe: () => {},
  batchSize: 64,
  blockMs: 2_000,
  maxDeliveries: 5,
  maxCrashes: 3,
  claimIdleMs: 15_000,
  retryDelayMs: 500,
} satisfies Partial<ConsumerOptions>;

/**
 * A Redis Streams consumer-group reader, put together from its parts: the read loop
 * (read-loop.ts), the janitor that reclaims abandoned entries (janitor.ts), and the batch
 * processor (batch-processor.ts) that dispatches each batch to the handlers, keeps the
 * attempts (attempts.ts), writes dead letters and acks (settle.ts). Entries are acked only
 * after the handler committed; groups start at `0` so a consumer that joins late still sees
 * history (docs/architecture.md, stream mechanics).
 */
export class StreamConsumer {
  private readonly o: ConsumerOptions & Required<Pick<ConsumerOptions, keyof typeof DEFAULTS>>;
  private readonly degradedClock = new DegradedClock();
  private readonly processor: BatchProcessor;
  private readonly janitor: Janitor;
  private blocking: Redis | undefined;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private healthy = false;

  constructor(options: ConsumerOptions) {
    this.o = { ...DEFAULTS, ...options };
    if (this.o.maxCrashes < 2) throw new Error("maxCrashes must be at least 2: one death may take a whole batch down");
    const ledger = new AttemptLedger(this.o.redis, this.o.attemptsKey);
    this.processor = new BatchProcessor({
      ...this.o,
      ledger,
      degraded: this.degradedClock,
      target: { redis: this.o.redis, group: this.o.group, deadLetterStream: this.o.deadLetterStream, ledger, logger: this.o.logger },
    });
    this.janitor = new Janitor({ ...this.o, onBatch: (entries) => this.withCounts(entries) });
  }

  /** True while the loop runs and its last round trip to Redis succeeded. */
  get running(): boolean {
    return this.loop !== undefined && !this.stopping && this.healthy;
  }

  /** Set while handlers fail because a dependency is away; the entries wait meanwhile. */
  get degraded(): DegradedState | undefined {
    return this.degradedClock.state;
  }

  /** Seconds spent degraded since start, the current period included. */
  degradedSeconds(): number {
    return this.degradedClock.seconds();
  }

  /** Starts reading; never throws: while Redis is away it stays unhealthy and keeps trying. */
  async start(): Promise<void> {
    const blocking = (this.blocking = this.o.openBlocking());
    const ensure = async () => {
      for (const stream of this.o.streams) await ensureGroup(this.o.redis, stream, this.o.group);
    };
    this.healthy = await ensure().then(
      () => true,
      (error) => {
        this.o.logger.warn({ err: error }, "cannot create consumer groups yet; retrying");
        return false;
      },
    );
    this.loop = runReadLoop({
      ...this.o,
      blocking,
      ensureGroups: ensure,
      onBatch: (entries, fresh) => (fresh ? this.processor.process(entries) : this.withCounts(entries)),
      onHealth: (healthy) => (this.healthy = healthy),
      stopping: () => this.stopping,
    });
    this.janitor.start();
  }

  /** Stops after the batch in hand is handled and acked. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.janitor.stop();
    // Interrupting a blocked read is safe: whatever it was handed stays pending and is
    // read again from `0` on the next start (or reclaimed by a janitor).
    const closing = this.loop;
    await Promise.race([closing, Bun.sleep(50)]);
    this.blocking?.disconnect();
    await closing;
  }

  /** Entries handed out before (own pending, reclaimed): their delivery counts first. */
  private async withCounts(entries: StreamEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.processor.process(entries, await deliveryCounts(this.o.redis, this.o.group, this.o.consumer, entries));
  }
}
