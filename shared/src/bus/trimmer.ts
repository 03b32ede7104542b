import type { Logger } from "../log/logger.ts";
import { periodic } from "../lifecycle/periodic.ts";
import { compareStreamIds } from "../db/outbox/stream-ids.ts";
import { fromFlatReply } from "./flat-reply.ts";
import type { Redis } from "./redis.ts";
import type { RedisMemory } from "./redis-memory.ts";
import { oldestNeeded, readStreamState } from "./stream-groups.ts";

/** How often a publisher trims its stream: what every group acked goes within about this long. */
const EVERY_MS = 1_000;

/**
 * XTRIM MINID, and in the same atomic step the trim point recorded under this Redis process's
 * run id (only ever raised), so that AOF or a replica keeps both or neither.
 */
const TRIM_AND_RECORD = `
local removed = redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
local function parts(id) local ms, seq = string.match(id, '^(%d+)-(%d+)$') return tonumber(ms), tonumber(seq) end
local before = redis.call('HGET', KEYS[2], run)
local ms, seq = parts(ARGV[1])
local bms, bseq = 0, 0
if before then bms, bseq = parts(before) end
if ms > bms or (ms == bms and seq > bseq) then redis.call('HSET', KEYS[2], run, ARGV[1]) end
return removed`;

export interface TrimmerOptions {
  redis: Redis;
  stream: string;
  /** The consumer groups the topology says read this stream: a missing one needs everything. */
  groups: readonly string[];
  /** Where the trim point is recorded (trimmedToKey); without it, only the XTRIM. */
  trimmedToKey?: string;
  /** How long acked entries may be kept for replay (0: trimmed at once). */
  retentionMs: number;
  /** Over the memory budget, acked entries go at once whatever the retention. */
  memory?: RedisMemory;
  logger: Logger;
}

/**
 * Keeps a stream to what some consumer group still needs (Redis runs with `noeviction`, so a
 * full Redis refuses every write). Every second it drops, with one XTRIM MINID, the entries
 * every group has read and acked — kept at most `retentionMs` for replay, and not at all
 * while Redis is over its memory budget. An entry still pending for a group, or not yet read
 * by it, is never dropped; nor is anything while a group the topology declares for the
 * stream does not exist yet (its consumer never started, and will read from the start).
 */
export function createStreamTrimmer(o: TrimmerOptions) {
  async function trim(now = Date.now()): Promise<number> {
    const needed = oldestNeeded(await readStreamState(o.redis, o.stream, o.groups));
    if (needed === undefined) return 0;
    const overBudget = o.retentionMs > 0 && (await o.memory?.read().catch(() => undefined))?.overBudget === true;
    const keepFrom = o.retentionMs > 0 && !overBudget ? `${Math.max(0, now - o.retentionMs)}-0` : needed;
    const minId = compareStreamIds(needed, keepFrom) < 0 ? needed : keepFrom;
    // MINID keeps entries >= minId; the entry `needed` itself may still be needed, so it stays.
    const removed = Number(
      o.trimmedToKey
        ? await o.redis.eval(TRIM_AND_RECORD, 2, o.stream, o.trimmedToKey, minId)
        : await o.redis.call("XTRIM", o.stream, "MINID", minId),
    );
    if (removed > 0) o.logger.debug({ stream: o.stream, removed, minId }, "trimmed the stream");
    return removed;
  }
  return { ...periodic("stream-trimmer", EVERY_MS, () => trim(), o.logger), trim };
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
