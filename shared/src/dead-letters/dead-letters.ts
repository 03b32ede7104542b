import { decodeDeadLetter, type DeadLetterRecord } from "../bus/dead-letter.ts";
import type { Redis } from "../bus/redis.ts";
import type { Database } from "../db/database.ts";
import { deleteStoredDeadLetter, listStoredDeadLetters } from "../db/dead-letter-store.ts";
import { deadLetterKey } from "../topology/redis-keys.ts";
import { consumerGroups } from "../topology/topology.ts";

/**
 * Listing, redriving and dropping dead letters: one implementation for the dead-letters CLI
 * (scripts/dead-letters.ts, every group) and each worker's operator route
 * (dead-letter-routes.ts, its own group).
 */

/** The consumer groups that keep dead letters (one stream each, and their worker's database). */
export const GROUPS: readonly string[] = consumerGroups.map((g) => g.group);

/**
 * A dead letter as listed: its record, the group that keeps it, its id on the group's
 * dead-letter stream, and where it is now: still on that stream, or moved to the worker's
 * database (`dead_letters`) once the stream was over its cap.
 */
export type DeadLetter = DeadLetterRecord & { id: string; place: "stream" | "database" };

/** Each group's worker database that could be opened; a group without one lists its stream only. */
export type GroupDatabases = Partial<Record<string, Database>>;

/** Every letter of the groups, oldest first: those moved to the database, then the stream's. */
export async function listDeadLetters(redis: Redis, prefix: string, groups: readonly string[] = GROUPS, dbs: GroupDatabases = {}): Promise<DeadLetter[]> {
  const all: DeadLetter[] = [];
  for (const group of groups) {
    const db = dbs[group];
    if (db) all.push(...(await listStoredDeadLetters(db, group)).map((l) => ({ ...l, group, place: "database" as const })));
    const entries = await redis.xrange(deadLetterKey(prefix, group), "-", "+");
    all.push(...entries.map(([id, list]) => ({ ...decodeDeadLetter(list), group, id, place: "stream" as const })));
  }
  return all;
}

/**
 * Puts dead letters back on the stream they came from (as new entries) and removes them from
 * where they were kept. On the stream that is one MULTI per letter; from the database the
 * entry is added first and the row deleted after, so a crash between the two redrives a
 * letter twice, never loses it. Every group reading the stream sees the entry again; the
 * groups that had handled it skip it (inbox) or fold it again harmlessly.
 */
export async function redrive(redis: Redis, prefix: string, letters: DeadLetter[], dbs: GroupDatabases = {}): Promise<number> {
  let redriven = 0;
  for (const l of letters) {
    const pairs = Object.entries(l.fields).flat();
    if (pairs.length === 0 || !l.stream) continue;
    if (l.place === "stream") {
      await redis.multi().xadd(l.stream, "*", ...pairs).xdel(deadLetterKey(prefix, l.group), l.id).exec();
    } else {
      const db = dbs[l.group];
      if (!db) continue;
      await redis.xadd(l.stream, "*", ...pairs);
      await deleteStoredDeadLetter(db, l.group, l.id);
    }
    redriven++;
  }
  return redriven;
}

export async function drop(redis: Redis, prefix: string, letters: DeadLetter[], dbs: GroupDatabases = {}): Promise<number> {
  let dropped = 0;
  for (const l of letters) {
    const db = dbs[l.group];
    if (l.place === "stream") dropped += Number(await redis.xdel(deadLetterKey(prefix, l.group), l.id));
    else if (db && (await deleteStoredDeadLetter(db, l.group, l.id))) dropped++;
  }
  return dropped;
}
