import { describe, expect, test } from "bun:test";
import { openDatabase } from "../db/database.ts";
import { deadLetterMigration, listStoredDeadLetters, storeDeadLetters } from "../db/dead-letter-store.ts";
import { migrate } from "../db/migrate.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { deadLetterKey } from "../topology/redis-keys.ts";
import { decodeDeadLetter, encodeDeadLetter } from "./dead-letter.ts";
import { moveDeadLetters } from "./dead-letter-mover.ts";

const cleanup = cleanupEach();

async function setUp(letters: number) {
  const redis = await connectTestRedis(cleanup);
  const db = await openDatabase(":memory:");
  cleanup.defer(() => db.close());
  await migrate(db, [deadLetterMigration(1)]);
  const stream = deadLetterKey(testPrefix("mover"), "payment");
  const ids: string[] = [];
  for (let i = 0; i < letters; i++) {
    const letter = { stream: "s", entryId: `${i}-0`, group: "payment", reason: "bad", deliveries: 1, fields: { event: String(i) }, failedAt: new Date().toISOString() };
    ids.push((await redis.xadd(stream, "*", ...encodeDeadLetter(letter)))!);
  }
  return { redis, db, stream, ids, mover: { redis, db, stream, group: "payment" } };
}

describe("moving dead letters beyond the cap", () => {
  test("a move cut short between the insert and the XDEL duplicates nothing when it runs again", async () => {
    const { redis, db, stream, ids, mover } = await setUp(250);
    // What a mover that died after its insert leaves: the oldest letters in both places.
    const first = (await redis.xrange(stream, "-", "+", "COUNT", 120)).map(([id, list]) => ({ ...decodeDeadLetter(list), id }));
    await storeDeadLetters(db, first);
    expect(await moveDeadLetters({ ...mover, cap: 10 })).toBe(240);
    const stored = await listStoredDeadLetters(db, "payment");
    expect(stored.map((l) => l.id)).toEqual(ids.slice(0, 240));
    expect((await redis.xrange(stream, "-", "+")).map(([id]) => id)).toEqual(ids.slice(240));
  });

  test("two movers at once: every letter in exactly one place or both, none lost, none stored twice", async () => {
    const { redis, db, stream, ids, mover } = await setUp(300);
    await Promise.all([moveDeadLetters({ ...mover, cap: 50 }), moveDeadLetters({ ...mover, cap: 50 })]);
    const stored = (await listStoredDeadLetters(db, "payment")).map((l) => l.id);
    const onStream = (await redis.xrange(stream, "-", "+")).map(([id]) => id);
    expect(new Set(stored).size).toBe(stored.length);
    expect(onStream.length).toBeLessThanOrEqual(50);
    expect(new Set([...stored, ...onStream])).toEqual(new Set(ids));
  });

  test("at or under the cap nothing moves", async () => {
    const { db, mover } = await setUp(3);
    expect(await moveDeadLetters({ ...mover, cap: 3 })).toBe(0);
    expect(await listStoredDeadLetters(db, "payment")).toEqual([]);
  });
});
