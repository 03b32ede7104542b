import { Redis } from "ioredis";

/**
 * Which Redis commands the stack sent while the load ran, per saga (`INFO commandstats` of the
 * bench's private redis-server, counted from a `CONFIG RESETSTAT` at the load's start): the
 * round trips behind each process's socket writes, and Redis's own CPU per command.
 */
export async function resetRedisStats(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    await redis.connect();
    await redis.config("RESETSTAT");
  } finally {
    redis.disconnect();
  }
}

/** Prints the commands sent since `resetRedisStats`, the most frequent first, per saga. */
export async function printRedisCommands(url: string, sagas: number, top = 14): Promise<void> {
  if (sagas === 0) return;
  const redis = new Redis(url, { lazyConnect: true });
  let info: string;
  try {
    await redis.connect();
    info = await redis.info("commandstats");
  } finally {
    redis.disconnect();
  }
  // cmdstat_xadd:calls=123,usec=456,usec_per_call=3.7,...
  const rows = [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)]
    .map((m) => ({ command: m[1]!, calls: Number(m[2]), usec: Number(m[3]) }))
    // The bench's own INFO (this one) and CONFIG RESETSTAT are not the stack's.
    .map((r) => (r.command === "info" || r.command === "config" ? { ...r, calls: r.calls - 1 } : r))
    .filter((r) => r.calls > 0)
    .sort((a, b) => b.calls - a.calls);
  const total = rows.reduce((sum, r) => sum + r.calls, 0);
  const shown = rows.slice(0, top).map((r) => `${r.command} ${(r.calls / sagas).toFixed(2)} (${(r.usec / sagas).toFixed(0)} µs)`);
  console.log(`redis commands per saga: ${(total / sagas).toFixed(1)} in all; ${shown.join(", ")}`);
}
