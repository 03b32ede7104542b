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

/**
 * The same, preceded in the one pipeline by the server's run id, so the ids are known to
 * come from that very Redis process.
 */
export async function publishWithProbe(redis: Redis, stream: string, envelopes: string[]): Promise<{ runId: string; ids: string[] }> {
  const pipeline = redis.pipeline().info("server");
  for (const envelope of envelopes) pipeline.xadd(stream, "*", EVENT_FIELD, envelope);
  const results = ((await pipeline.exec()) ?? []) as [Error | null, unknown][];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  const runId = /run_id:(\w+)/.exec(String(results[0]![1]))?.[1];
  if (!runId) throw new Error("INFO server gave no run_id");
  return { runId, ids: results.slice(1).map(([, id]) => String(id)) };
}
