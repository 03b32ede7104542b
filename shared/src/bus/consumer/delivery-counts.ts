import { entryKey, type StreamEntry } from "../entries.ts";
import type { Redis } from "../redis.ts";

/** Enough to cover a batch's range even when older pending entries of ours sit inside it. */
const XPENDING_PAGE = 10_000;

/**
 * How many times the group has handed out each entry `consumer` now holds, from the group's
 * pending list, by `entryKey`: one XPENDING per stream, all in one pipelined round trip.
 * Entries read with `>` need no lookup (they are new).
 */
export async function deliveryCounts(
  redis: Redis,
  group: string,
  consumer: string,
  entries: StreamEntry[],
): Promise<Map<string, number>> {
  const byStream = [...Map.groupBy(entries, (e) => e.stream)];
  const pipeline = redis.pipeline();
  for (const [stream, held] of byStream) {
    pipeline.call("XPENDING", stream, group, held[0]!.id, held.at(-1)!.id, XPENDING_PAGE, consumer);
  }
  const replies = (await pipeline.exec()) ?? [];
  const counts = new Map<string, number>();
  replies.forEach(([error, reply], i) => {
    if (error) throw error;
    const stream = byStream[i]![0];
    for (const [id, , , n] of reply as [string, string, number, number][]) counts.set(entryKey({ stream, id }), Number(n));
  });
  return counts;
}
