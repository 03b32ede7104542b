import type { Database } from "../db/database.ts";
import { storeDeadLetters } from "../db/dead-letter-store.ts";
import { decodeDeadLetter } from "./dead-letter.ts";
import type { Redis } from "./redis.ts";

/** Letters moved per round trip. */
const BATCH = 100;

export interface DeadLetterMoverOptions {
  redis: Redis;
  db: Database;
  /** The group's dead-letter stream (`deadLetterKey`). */
  stream: string;
  group: string;
  /** How many letters the stream may hold; the oldest beyond it move to the database. */
  cap: number;
}

/**
 * Moves the oldest letters of a dead-letter stream beyond `cap` into the worker's database
 * (`dead_letters`): Redis keeps a bounded number (it runs with `noeviction` within a memory
 * budget) and no letter is ever dropped. Each batch is inserted first, then deleted from the
 * stream: a crash between the two leaves it in both places, and the next round's insert of
 * the same letter ids adds nothing. Two replicas moving at once insert the same ids once.
 * Returns how many letters left the stream.
 */
export async function moveDeadLetters(o: DeadLetterMoverOptions): Promise<number> {
  let moved = 0;
  for (;;) {
    const excess = (await o.redis.xlen(o.stream)) - o.cap;
    if (excess <= 0) return moved;
    const entries = await o.redis.xrange(o.stream, "-", "+", "COUNT", Math.min(excess, BATCH));
    if (entries.length === 0) return moved;
    // The stream's own group, whatever the letter says (one written by hand may say nothing).
    await storeDeadLetters(o.db, entries.map(([id, list]) => ({ ...decodeDeadLetter(list), group: o.group, id })));
    moved += Number(await o.redis.xdel(o.stream, ...entries.map(([id]) => id)));
  }
}
