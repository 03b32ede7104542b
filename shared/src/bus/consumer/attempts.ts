import { entryKey, type StreamEntry } from "../entries.ts";
import type { Redis } from "../redis.ts";

/** What earlier attempts at an entry left behind. */
export interface Attempts {
  /** Processes in a row that died while they held it (a process that comes back clears it). */
  crashes: number;
  /** Times its handler failed with an error of its own (not a dependency being away). */
  failures: number;
}

type Transaction = ReturnType<Redis["multi"]>;

const failuresField = (entry: StreamEntry) => `${entryKey(entry)}/failed`;

/**
 * Per entry, in one Redis hash shared by the group's consumers: how many processes took it in
 * hand and never came back (the field `<stream>/<id>`), and how many times its handler failed
 * with an error of its own (`<stream>/<id>/failed`). Counting deaths rather than deliveries is
 * what lets an outage of any length pass without dead-lettering anything: redeliveries after
 * a failure that the process survived never count.
 *
 * Fields live while their entry is pending; settling an entry (ack or dead letter) deletes them.
 */
export class AttemptLedger {
  /** Entries a failed settle left marked as held although this process came back. */
  private readonly owed = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  /**
   * Marks each entry as held by this process and returns what earlier attempts left: one
   * pipelined round trip. The marks of an earlier failed settle are cleared first.
   */
  async take(entries: StreamEntry[]): Promise<Attempts[]> {
    const pipeline = this.redis.pipeline();
    const owed = [...this.owed];
    if (owed.length > 0) pipeline.hdel(this.key, ...owed);
    for (const entry of entries) pipeline.hincrby(this.key, entryKey(entry), 1);
    pipeline.hmget(this.key, ...entries.map(failuresField));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    for (const field of owed) this.owed.delete(field);
    const replies = results.slice(owed.length > 0 ? 1 : 0).map(([, value]) => value);
    const held = replies.slice(0, entries.length) as number[];
    const failures = replies[entries.length] as (string | null)[];
    return entries.map((_, i) => ({ crashes: Number(held[i]) - 1, failures: Number(failures[i] ?? 0) }));
  }

  /** Puts back the counts `take` found, for entries this process will hold one at a time. */
  async untake(entries: { entry: StreamEntry; attempts: Attempts }[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { entry, attempts } of entries) {
      if (attempts.crashes > 0) pipeline.hset(this.key, entryKey(entry), attempts.crashes);
      else pipeline.hdel(this.key, entryKey(entry));
    }
    await pipeline.exec();
  }

  /** Marks one entry as held by this process (after `untake`). */
  async hold(entry: StreamEntry): Promise<void> {
    await this.redis.hincrby(this.key, entryKey(entry), 1);
  }

  /** In the settle transaction: the entry is acked or dead-lettered, its attempts are history. */
  forget(tx: Transaction, entries: StreamEntry[]): void {
    if (entries.length === 0) return;
    tx.hdel(this.key, ...entries.flatMap((e) => [entryKey(e), failuresField(e)]));
  }

  /**
   * In the settle transaction: this process came back from the handler, which failed. Coming
   * back clears the entry's deaths: what is dead-lettered is an entry that kills every process
   * that takes it alone, not one that was around when something else went wrong.
   */
  release(tx: Transaction, entries: { entry: StreamEntry; ownFailure: boolean }[]): void {
    if (entries.length === 0) return;
    tx.hdel(this.key, ...entries.map(({ entry }) => entryKey(entry)));
    for (const { entry, ownFailure } of entries) if (ownFailure) tx.hincrby(this.key, failuresField(entry), 1);
  }

  /** The settle transaction failed: the next `take` clears these marks. */
  owe(entries: StreamEntry[]): void {
    for (const entry of entries) this.owed.add(entryKey(entry));
  }
}
