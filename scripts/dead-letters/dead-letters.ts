import type { Redis } from "@rentalnang/shared/bus/redis";
import { deadLetterKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups } from "@rentalnang/shared/topology/topology";

/** The consumer groups that keep dead letters (one stream each). */
export const GROUPS: readonly string[] = consumerGroups.map((g) => g.group);

export interface DeadLetter {
  group: string;
  id: string;
  stream: string;
  entryId: string;
  reason: string;
  deliveries: number;
  failedAt: string;
  fields: Record<string, string>;
}

function toLetter(group: string, id: string, list: string[]): DeadLetter {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) f[list[i]!] = list[i + 1]!;
  let fields: Record<string, string> = {};
  try {
    fields = JSON.parse(f.fields ?? "{}");
  } catch {
    // kept as empty: a redrive of it would carry nothing
  }
  return {
    group, id, stream: f.stream ?? "", entryId: f.entryId ?? "", reason: f.reason ?? "",
    deliveries: Number(f.deliveries ?? 0), failedAt: f.failedAt ?? "", fields,
  };
}

export async function listDeadLetters(redis: Redis, prefix: string, groups: readonly string[] = GROUPS): Promise<DeadLetter[]> {
  const all: DeadLetter[] = [];
  for (const group of groups) {
    const entries = await redis.xrange(deadLetterKey(prefix, group), "-", "+");
    all.push(...entries.map(([id, list]) => toLetter(group, id, list)));
  }
  return all;
}

/**
 * Puts dead letters back on the stream they came from (as new entries) and removes them from
 * the dead-letter stream, atomically per letter. Every group reading that stream sees the
 * entry again; the groups that had handled it skip it (inbox) or fold it again harmlessly.
 */
export async function redrive(redis: Redis, prefix: string, letters: DeadLetter[]): Promise<number> {
  for (const l of letters) {
    const pairs = Object.entries(l.fields).flat();
    if (pairs.length === 0 || !l.stream) continue;
    await redis.multi().xadd(l.stream, "*", ...pairs).xdel(deadLetterKey(prefix, l.group), l.id).exec();
  }
  return letters.length;
}

export async function drop(redis: Redis, prefix: string, letters: DeadLetter[]): Promise<number> {
  for (const l of letters) await redis.xdel(deadLetterKey(prefix, l.group), l.id);
  return letters.length;
}
