import { entryKey, type StreamEntry } from "../entries.ts";
import type { Redis } from "../redis.ts";

/** Enough to cover a batch's range even when older pending entries of ours sit inside it. */
const XPENDING_PAGE = 10_000;

/**
 * How many times the group has handed out each entry `consumer` now holds, from the group's
 * pending list, by `entryKey`: one XPENDING per stream. Entries read with `>` need no lookup (they are new).
 */
export async function deliveryCounts(
  redis: Redis,
  group: string,
  consumer: string,
  entries: StreamEntry[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const stream of new Set(entries.map((e) => e.stream))) {
    const ids = entries.filter((e) => e.stream === stream).map((e) => e.id);
    const pending = (await redis.call("XPENDING", [
      stream, group, ids[0]!, ids.at(-1)!, XPENDING_PAGE, consumer,
    ])) as [string, string, number, number][];
    for (const [id, , , n] of pending) counts.set(entryKey({ stream, id }), Number(n));
  }
  return counts;
}
