import type { Logger } from "../../log/logger.ts";
import { decodeReadReply, type StreamEntry } from "../entries.ts";
import { redisErrorCode, type Redis } from "../redis.ts";

export interface ReadLoopOptions {
  /** The dedicated connection that XREADGROUP ... BLOCK ties up. */
  blocking: Redis;
  streams: string[];
  group: string;
  consumer: string;
  batchSize: number;
  blockMs: number;
  retryDelayMs: number;
  logger: Logger;
  /** Recreates the group after NOGROUP (the stream or the group was deleted). */
  ensureGroups: () => Promise<void>;
  /** Handles and settles a batch; `fresh` entries (read with `>`) are on their first delivery. */
  onBatch: (entries: StreamEntry[], fresh: boolean) => Promise<void>;
  /** Told after each round whether its round trips to Redis succeeded. */
  onHealth: (healthy: boolean) => void;
  stopping: () => boolean;
}

/** Per stream, the id after which our own pending entries are still to be re-read. */
type Cursors = Map<string, string>;

const fromStart = (streams: string[]): Cursors => new Map(streams.map((s) => [s, "0"]));

/**
 * Reads until stopped. First this consumer's own pending entries (id `0`: what it held when
 * it last stopped or crashed), then new ones (`>`) with a finite BLOCK, so that a stop is
 * noticed within `blockMs`. After any error it re-reads its own pending entries first (an
 * ack may have failed with the connection) rather than leave them to the janitor's idle
 * timeout; after NOGROUP it recreates the group.
 */
export async function runReadLoop(o: ReadLoopOptions): Promise<void> {
  let cursors: Cursors = fromStart(o.streams);
  while (!o.stopping()) {
    try {
      if (cursors.size > 0) await readPending(o, cursors);
      else await readNew(o);
      o.onHealth(true);
    } catch (error) {
      if (o.stopping()) break;
      o.onHealth(false);
      cursors = fromStart(o.streams);
      if (redisErrorCode(error) === "NOGROUP") {
        o.logger.warn({ group: o.group }, "consumer group missing; recreating it");
        await o.ensureGroups().catch(() => {});
        continue;
      }
      o.logger.warn({ err: error }, "stream read failed; retrying");
      await Bun.sleep(o.retryDelayMs);
    }
  }
}

/** One page of our own pending entries; a stream whose pending entries are all read drops out. */
async function readPending(o: ReadLoopOptions, cursors: Cursors): Promise<void> {
  const keys = [...cursors.keys()];
  const reply = await o.blocking.call("XREADGROUP", [
    "GROUP", o.group, o.consumer, "COUNT", o.batchSize,
    "STREAMS", ...keys, ...keys.map((k) => cursors.get(k)!),
  ]);
  const entries = decodeReadReply(reply);
  for (const key of keys) {
    const last = entries.findLast((e) => e.stream === key);
    if (last) cursors.set(key, last.id);
    else cursors.delete(key);
  }
  await o.onBatch(entries, false);
}

async function readNew(o: ReadLoopOptions): Promise<void> {
  const reply = await o.blocking.call("XREADGROUP", [
    "GROUP", o.group, o.consumer, "COUNT", o.batchSize,
    "BLOCK", o.blockMs, "STREAMS", ...o.streams, ...o.streams.map(() => ">"),
  ]);
  await o.onBatch(decodeReadReply(reply), true);
}
