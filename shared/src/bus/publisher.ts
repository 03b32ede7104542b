import type { ChainableCommander } from "ioredis";
import type { Redis } from "./redis.ts";
import { EVENT_FIELD } from "./entries.ts";

/**
 * Appends serialised envelopes to one stream in a single pipelined round trip and returns
 * the entry ids in order. Throws if any XADD failed, so the caller keeps its rows
 * unpublished and retries.
 */
export async function publishAll(redis: Redis, stream: string, envelopes: string[]): Promise<string[]> {
  if (envelopes.length === 0) return [];
  return execAll(withXadds(redis.pipeline(), stream, envelopes));
}

/**
 * The same, preceded in the one pipeline by the server's run id, so the ids are known to
 * come from that very Redis process.
 */
export async function publishWithProbe(redis: Redis, stream: string, envelopes: string[]): Promise<{ runId: string; ids: string[] }> {
  const [info, ...ids] = await execAll(withXadds(redis.pipeline().info("server"), stream, envelopes));
  const runId = /run_id:(\w+)/.exec(info!)?.[1];
  if (!runId) throw new Error("INFO server gave no run_id");
  return { runId, ids };
}

function withXadds(pipeline: ChainableCommander, stream: string, envelopes: string[]): ChainableCommander {
  for (const envelope of envelopes) pipeline.xadd(stream, "*", EVENT_FIELD, envelope);
  return pipeline;
}

/** The pipeline's replies as strings, in order; throws the first command's error if any failed. */
async function execAll(pipeline: ChainableCommander): Promise<string[]> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, reply]) => String(reply));
}
