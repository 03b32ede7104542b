import { fromFlatReply } from "@rentalnang/shared/bus/flat-reply";
import type { Redis } from "@rentalnang/shared/bus/redis";
import type { RedisServer } from "@rentalnang/shared/testing/redis-server";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { streamNames, type StreamName } from "@rentalnang/shared/topology/topology";

/**
 * How the chaos run crashes Redis.
 * - `lose-last-second`: the AOF is copied, the system runs on for a second, then Redis is
 *   SIGKILLed and started from the copy: a machine that went down before its next fsync
 *   (`appendfsync everysec`), the worst a durable Redis of this system can do.
 * - `kill`: SIGKILL and start again on the same AOF; the kernel kept every write, so only
 *   the connections and the blocked reads break.
 */
export const redisFaults = ["lose-last-second", "kill"] as const;
export type RedisFault = (typeof redisFaults)[number];

const LOST_WINDOW_MS = 1_000;
const DOWN_MS = 300;

export interface RedisFaultOutcome {
  fault: RedisFault;
  /** Stream entries the restarted Redis no longer had, per stream (XINFO STREAM entries-added). */
  lostEntries: Record<StreamName, number>;
}

/** Crashes and restarts `server` as `fault` says; `client` measures what was lost. */
export async function crashRedis(server: RedisServer, client: Redis, prefix: string, fault: RedisFault): Promise<RedisFaultOutcome> {
  if (fault === "lose-last-second") {
    await server.snapshotAof();
    await Bun.sleep(LOST_WINDOW_MS);
  }
  const before = await entriesAdded(client, prefix);
  if (fault === "lose-last-second") {
    await server.restartFromSnapshot();
  } else {
    await server.kill();
    await Bun.sleep(DOWN_MS);
    await server.restart();
  }
  const after = await entriesAdded(client, prefix);
  const lostEntries = Object.fromEntries(streamNames.map((s) => [s, before[s] - after[s]])) as Record<StreamName, number>;
  return { fault, lostEntries };
}

/** How many entries each stream was ever given: trimming does not lower it, a lost write does. */
async function entriesAdded(client: Redis, prefix: string): Promise<Record<StreamName, number>> {
  const counts = {} as Record<StreamName, number>;
  for (const name of streamNames) {
    try {
      counts[name] = Number(fromFlatReply((await client.call("XINFO", "STREAM", streamKey(prefix, name))) as unknown[])["entries-added"]);
    } catch (error) {
      if (!/no such key/i.test((error as Error).message)) throw error;
      counts[name] = 0;
    }
  }
  return counts;
}

export function describeRedisFault(o: RedisFaultOutcome): string {
  if (o.fault === "kill") return "SIGKILL, restarted on its AOF (nothing lost)";
  const lost = Object.entries(o.lostEntries).map(([s, n]) => `${n} ${s}`).join(", ");
  return `restarted from its AOF of ${LOST_WINDOW_MS / 1000} s before; it forgot ${lost} entries`;
}
