import { decodeDeadLetter, type DeadLetterRecord } from "@rentalnang/shared/bus/dead-letter";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { deadLetterKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups } from "@rentalnang/shared/topology/topology";

/** The consumer groups that keep dead letters (one stream each). */
export const GROUPS: readonly string[] = consumerGroups.map((g) => g.group);

/** A dead letter as listed: its record, the group whose stream keeps it, and its id there. */
export type DeadLetter = DeadLetterRecord & { id: string };

export async function listDeadLetters(redis: Redis, prefix: string, groups: readonly string[] = GROUPS): Promise<DeadLetter[]> {
  const all: DeadLetter[] = [];
  for (const group of groups) {
    const entries = await redis.xrange(deadLetterKey(prefix, group), "-", "+");
    all.push(...entries.map(([id, list]) => ({ ...decodeDeadLetter(list), group, id })));
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
