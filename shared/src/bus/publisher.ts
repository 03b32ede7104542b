import type { Redis } from "./redis.ts";
import { EVENT_FIELD } from "./entries.ts";

/**
 * Appends serialised envelopes to one stream in a single pipelined round trip and returns
 * the entry ids in order. Throws if any XADD failed, so the caller keeps its rows
 * unpublished and retries.
 */
export async function publishAll(redis: Redis, stream: string, envelopes: string[]): Promise<string[]> {
  if (envelopes.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const envelope of envelopes) pipeline.xadd(stream, "*", EVENT_FIELD, envelope);
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, id]) => String(id));
}
