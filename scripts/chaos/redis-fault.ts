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
  /** Stream entries of the lost second that the restarted Redis no longer had, per stream. */
  lostEntries: Record<StreamName, number>;
}

/** Crashes and restarts `server` as `fault` says; `client` counts the entries it lost. */
export async function crashRedis(server: RedisServer, client: Redis, prefix: string, fault: RedisFault): Promise<RedisFaultOutcome> {
  const from = Date.now();
  if (fault === "lose-last-second") {
    await server.snapshotAof();
    await Bun.sleep(LOST_WINDOW_MS);
  }
  const before = await entryIdsSince(client, prefix, from);
  if (fault === "lose-last-second") {
    await server.restartFromSnapshot();
  } else {
    await server.kill();
    await Bun.sleep(DOWN_MS);
    await server.restart();
  }
  const after = await entryIdsSince(client, prefix, from);
  const lostEntries = Object.fromEntries(streamNames.map((s) => [s, [...before[s]].filter((id) => !after[s].has(id)).length])) as Record<StreamName, number>;
  return { fault, lostEntries };
}

/**
 * The ids of each stream's entries added since `ms`. Entries added after the restart get
 * newer ids than any lost one, so republished events never hide a loss.
 */
async function entryIdsSince(client: Redis, prefix: string, ms: number): Promise<Record<StreamName, Set<string>>> {
  const ids = {} as Record<StreamName, Set<string>>;
  for (const name of streamNames) ids[name] = new Set((await client.xrange(streamKey(prefix, name), String(ms), "+")).map(([id]) => id));
  return ids;
}

export function describeRedisFault(o: RedisFaultOutcome): string {
  if (o.fault === "kill") return "SIGKILL, restarted on its AOF (nothing lost)";
  const lost = Object.entries(o.lostEntries).map(([s, n]) => `${n} ${s}`).join(", ");
  return `restarted from its AOF of ${LOST_WINDOW_MS / 1000} s before; it forgot ${lost} entries`;
}
