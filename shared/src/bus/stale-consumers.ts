import { fromFlatReply } from "./flat-reply.ts";
import { redisErrorCode, type Redis } from "./redis.ts";

/**
 * Removes `consumer` from `group` only if it holds no pending entry, checked and done in one
 * step: XGROUP DELCONSUMER drops the pending entries of the consumer it deletes, and the
 * group would never hand them out again. Returns 1 if it removed it.
 */
const DELETE_IF_IDLE = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #pending > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1`;

export interface StaleConsumerOptions {
  /** Idle longer than this (no read, claim or ack) is a consumer whose process is gone. */
  idleMs: number;
  /** This process's own name, never removed. */
  self: string;
}

/**
 * Removes from `group` on `stream` the consumers idle past `idleMs` that hold no pending
 * entry: the names processes left behind when they stopped (every start takes a new one).
 * One with pending entries stays until the janitor's XAUTOCLAIM has moved them to a live
 * consumer. Returns the names removed.
 */
export async function removeStaleConsumers(redis: Redis, stream: string, group: string, o: StaleConsumerOptions): Promise<string[]> {
  let consumers: Record<string, unknown>[];
  try {
    consumers = ((await redis.call("XINFO", "CONSUMERS", stream, group)) as unknown[][]).map(fromFlatReply);
  } catch (error) {
    // No stream or no group yet: nobody to remove.
    if (redisErrorCode(error) === "NOGROUP" || /no such key/i.test(String(error))) return [];
    throw error;
  }
  const removed: string[] = [];
  for (const c of consumers) {
    const name = String(c.name);
    if (name === o.self || Number(c.pending) > 0 || Number(c.idle) <= o.idleMs) continue;
    if (Number(await redis.eval(DELETE_IF_IDLE, 1, stream, group, name)) === 1) removed.push(name);
  }
  return removed;
}
