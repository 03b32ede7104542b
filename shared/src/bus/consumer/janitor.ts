import type { Logger } from "../../log/logger.ts";
import { decodeEntries, type StreamEntry } from "../entries.ts";
import type { Redis } from "../redis.ts";

export interface JanitorOptions {
  redis: Redis;
  streams: string[];
  group: string;
  consumer: string;
  /** An entry pending longer than this is presumed abandoned (longer than the slowest handler). */
  claimIdleMs: number;
  batchSize: number;
  logger: Logger;
  /** Handles and settles a batch of reclaimed entries. */
  onBatch: (entries: StreamEntry[]) => Promise<void>;
}

/**
 * Every `claimIdleMs / 2`, claims the group's entries idle past `claimIdleMs` (XAUTOCLAIM) and
 * hands them to `onBatch`: entries whose consumer died, and entries whose handler failed
 * and were left pending for a later try. One round at a time.
 */
export class Janitor {
  private timer: ReturnType<typeof setInterval> | undefined;
  private round: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly o: JanitorOptions) {}

  start(): void {
    const every = Math.max(50, Math.floor(this.o.claimIdleMs / 2));
    this.timer = setInterval(() => {
      this.round ??= this.reclaim()
        .catch((error) => this.o.logger.warn({ err: error }, "janitor round failed"))
        .finally(() => (this.round = undefined));
    }, every);
  }

  /** Stops after the round in hand. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.round;
  }

  private async reclaim(): Promise<void> {
    for (const stream of this.o.streams) {
      let start = "0-0";
      do {
        if (this.stopping) return;
        const reply = (await this.o.redis.call("XAUTOCLAIM", [
          stream, this.o.group, this.o.consumer, this.o.claimIdleMs, start, "COUNT", this.o.batchSize,
        ])) as [string, unknown, unknown?];
        start = reply[0];
        const entries = decodeEntries(stream, reply[1]);
        if (entries.length > 0) await this.o.onBatch(entries);
      } while (start !== "0-0");
    }
  }
}
