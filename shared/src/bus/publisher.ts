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
 * The same, preceded in the one pipeline by the server's run id and the stream's last id as
 * they were just before these XADDs ("0-0" when the stream does not exist yet).
 */
export async function publishWithProbe(
  redis: Redis,
  stream: string,
  envelopes: string[],
): Promise<{ runId: string; lastId: string; ids: string[] }> {
  const pipeline = redis.pipeline().info("server").call("XINFO", "STREAM", stream);
  for (const envelope of envelopes) pipeline.xadd(stream, "*", EVENT_FIELD, envelope);
  const results = ((await pipeline.exec()) ?? []) as [Error | null, unknown][];
  const [[infoError, info], [streamError, streamInfo]] = results as [[Error | null, unknown], [Error | null, unknown]];
  const added = results.slice(2);
  const failed = added.find(([error]) => error);
  if (infoError || failed) throw infoError ?? failed![0];
  const runId = /run_id:(\w+)/.exec(String(info))?.[1];
  if (!runId) throw new Error("INFO server gave no run_id");
  let lastId = "0-0";
  if (streamError) {
    if (!/no such key/i.test(streamError.message)) throw streamError;
  } else {
    const list = streamInfo as unknown[];
    lastId = String(list[list.indexOf("last-generated-id") + 1]);
  }
  return { runId, lastId, ids: added.map(([, id]) => String(id)) };
}
