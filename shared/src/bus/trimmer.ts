import type { Logger } from "../log/logger.ts";
import { compareStreamIds } from "../db/outbox/stream-ids.ts";
import { fromFlatReply } from "./flat-reply.ts";
import type { Redis } from "./redis.ts";

const EVERY_MS = 10 * 60 * 1000;

/**
 * The oldest entry some consumer group may still need: its oldest pending entry, or what
 * it has yet to read. Undefined while no group exists (nobody has read: keep everything).
 */
export async function oldestNeededId(redis: Redis, stream: string): Promise<string | undefined> {
  const groups = ((await redis.call("XINFO", "GROUPS", stream)) as unknown[][]).map(fromFlatReply);
  if (groups.length === 0) return undefined;
  let oldest: string | undefined;
  for (const g of groups) {
    let needed = String(g["last-delivered-id"]);
    if (Number(g.pending) > 0) {
      const [, minPending] = (await redis.xpending(stream, String(g.name))) as [number, string];
      if (minPending && compareStreamIds(minPending, needed) < 0) needed = minPending;
    }
    if (oldest === undefined || compareStreamIds(needed, oldest) < 0) oldest = needed;
  }
  return oldest;
}

/**
 * Keeps a stream from growing without bound (Redis runs with `noeviction`, so a full Redis
 * refuses every write): every ten minutes it drops entries older than `retentionMs` that
 * every consumer group has read and acked. A retention of 0 keeps everything.
 */
export function createStreamTrimmer(o: { redis: Redis; stream: string; retentionMs: number; logger: Logger }) {
  let timer: ReturnType<typeof setInterval> | undefined;
  async function trim(now = Date.now()): Promise<number> {
    if (o.retentionMs === 0) return 0;
    const needed = await oldestNeededId(o.redis, o.stream).catch(() => undefined);
    if (needed === undefined) return 0;
    const cutoff = `${Math.max(0, now - o.retentionMs)}-0`;
    const minId = compareStreamIds(needed, cutoff) < 0 ? needed : cutoff;
    // MINID keeps entries >= minId; the entry `needed` itself is still needed, so it stays.
    const removed = Number(await o.redis.call("XTRIM", o.stream, "MINID", minId));
    if (removed > 0) o.logger.info({ stream: o.stream, removed, minId }, "trimmed the stream");
    return removed;
  }
  const run = () => void trim().catch((error) => o.logger.warn({ err: error }, "trimming the stream failed"));
  return {
    name: "stream-trimmer",
    trim,
    start() {
      timer = setInterval(run, EVERY_MS);
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** Whether a stream still holds every entry ever added to it (nothing trimmed or deleted). */
export async function holdsWholeHistory(redis: Redis, stream: string): Promise<{ whole: boolean; length: number; added: number }> {
  try {
    const info = fromFlatReply((await redis.call("XINFO", "STREAM", stream)) as unknown[]);
    const length = Number(info.length);
    const added = Number(info["entries-added"] ?? length);
    return { whole: added === length, length, added };
  } catch (error) {
    // No stream: nothing was ever published. Anything else (Redis away) is not an answer.
    if (error instanceof Error && /no such key/i.test(error.message)) return { whole: true, length: 0, added: 0 };
    throw error;
  }
}
