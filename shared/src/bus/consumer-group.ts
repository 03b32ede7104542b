import { redisErrorCode, type Redis } from "./redis.ts";

/**
 * Creating and moving a consumer group. A group starts at the stream's first entry ("0"), so
 * a consumer that joins late still sees the history the stream holds; MKSTREAM lets a group
 * exist before anything was published.
 */

/** Creates `group` on `stream` (and the stream itself) unless it exists. */
export async function ensureGroup(redis: Redis, stream: string, group: string): Promise<void> {
  try {
    await redis.call("XGROUP", "CREATE", stream, group, "0", "MKSTREAM");
  } catch (error) {
    if (redisErrorCode(error) !== "BUSYGROUP") throw error;
  }
}

/** Moves `group` back to the first entry of `stream`, creating it if needed: it reads everything again. */
export async function rewindGroup(redis: Redis, stream: string, group: string): Promise<void> {
  await ensureGroup(redis, stream, group);
  await redis.call("XGROUP", "SETID", stream, group, "0");
}
