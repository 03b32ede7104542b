import type { Logger } from "../../log/logger.ts";
import type { AttemptLedger } from "./attempts.ts";
import { encodeDeadLetter } from "../dead-letter.ts";
import type { StreamEntry } from "../entries.ts";
import type { Redis } from "../redis.ts";

export interface DeadEntry {
  entry: StreamEntry;
  reason: string;
  deliveries: number;
}

/** What a batch left to write back: acks, dead letters, and failures that stay pending. */
export interface Settlement {
  acked: StreamEntry[];
  dead: DeadEntry[];
  pending: { entry: StreamEntry; ownFailure: boolean }[];
}

export const emptySettlement = (): Settlement => ({ acked: [], dead: [], pending: [] });

export interface SettleTarget {
  redis: Redis;
  group: string;
  deadLetterStream: string;
  ledger: AttemptLedger;
  logger: Logger;
}

/**
 * Writes a batch's outcome in one MULTI: the dead letters, the attempts' bookkeeping, and one
 * XACK per stream for everything handled or dead-lettered. A dead letter and its ack land
 * together or not at all. Throws if any command failed: the entries stay pending.
 */
export async function settle(t: SettleTarget, s: Settlement): Promise<void> {
  if (s.acked.length === 0 && s.dead.length === 0 && s.pending.length === 0) return;
  const tx = t.redis.multi();
  const failedAt = new Date().toISOString();
  for (const { entry, reason, deliveries } of s.dead) {
    t.logger.error({ stream: entry.stream, entryId: entry.id, reason }, "entry dead-lettered");
    const record = { stream: entry.stream, entryId: entry.id, group: t.group, reason, deliveries, fields: entry.fields ?? {}, failedAt };
    tx.xadd(t.deadLetterStream, "*", ...encodeDeadLetter(record));
  }
  const finished = [...s.acked, ...s.dead.map((d) => d.entry)];
  t.ledger.forget(tx, finished);
  t.ledger.release(tx, s.pending);
  const byStream = Map.groupBy(finished, (e) => e.stream);
  for (const [stream, entries] of byStream) tx.xack(stream, t.group, ...entries.map((e) => e.id));
  try {
    const results = (await tx.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
  } catch (error) {
    t.ledger.owe([...finished, ...s.pending.map((p) => p.entry)]);
    throw error;
  }
}
