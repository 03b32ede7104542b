import { beforeEach, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { z } from "zod";
import { authenticate, type AuthEnv } from "../auth/authenticate/authenticate.ts";
import type { Principal, Role } from "../auth/principal.ts";
import { encodeDeadLetter } from "../bus/dead-letter.ts";
import type { Redis } from "../bus/redis.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { deadLetterMigration, storeDeadLetters } from "../db/dead-letter-store.ts";
import { messagingMigration, migrate } from "../db/migrate.ts";
import { onError } from "../http/problem.ts";
import { createLogger } from "../log/logger.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { deadLetterKey, streamKey } from "../topology/redis-keys.ts";
import { consumerGroupOf } from "../topology/topology.ts";
import { INVARIANTS_PATH, type WorkerFactsSpec } from "./facts.ts";
import { invariantRoutes } from "./invariant-routes.ts";

const cleanup = cleanupEach();
const T = "2026-01-01T00:00:00.000Z";

/** A verifier that believes every token: the token is the role list, dot-separated. */
const believer = { verify: async (token: string): Promise<Principal> => ({ subject: "someone", roles: token.split(".") as Role[], clientId: undefined }) };

/** A worker's part as the workers write theirs: rows of a table keyed by rental, and a fact of its own. */
const Thing = z.object({ rentalId: z.number().int(), label: z.string() });
const spec: WorkerFactsSpec<z.infer<typeof Thing>, { things: number }> = {
  row: Thing,
  readRows: async (db, { after, through, limit }) =>
    (await db.execute({ sql: "SELECT rental_id, label FROM things WHERE rental_id > ? AND rental_id <= ? ORDER BY rental_id LIMIT ?", args: [after, through, limit] }))
      .rows.map((r) => ({ rentalId: Number(r.rental_id), label: String(r.label) })),
  own: z.object({ things: z.number() }),
  readOwn: async ({ db }) => ({ things: Number((await db.execute("SELECT count(*) AS n FROM things")).rows[0]!.n) }),
};

let db: Database;
let redis: Redis;
let prefix: string;
let app: Hono;

beforeEach(async () => {
  redis = await connectTestRedis(cleanup);
  prefix = testPrefix("facts");
  db = await openDatabase(":memory:");
  cleanup.defer(() => db.close());
  await migrate(db, [messagingMigration, deadLetterMigration(2), { version: 3, name: "things", statements: ["CREATE TABLE things (rental_id INTEGER PRIMARY KEY, label TEXT NOT NULL)"] }]);
  const frame = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  frame.use(requestId());
  frame.onError(onError(createLogger("facts-test", "silent")));
  frame.use(authenticate({ verifier: believer }));
  // payment: it publishes the payment stream and its group reads rental's.
  frame.route(INVARIANTS_PATH, invariantRoutes({ worker: "payment", spec, db, redis, prefix }));
  app = frame as unknown as Hono;
});

const call = (path: string, roles?: string) =>
  app.request(`${INVARIANTS_PATH}${path}`, { headers: roles ? { Authorization: `Bearer ${roles}` } : {} });
const body = async (path: string) => {
  const res = await call(path, "operator");
  expect(res.status).toBe(200);
  return res.json() as Promise<any>;
};

describe("a worker's facts for the invariant check", () => {
  test("are the operators' only: 401 without a token, 403 for every other role, on the facts and on the rows", async () => {
    for (const path of ["", "/payment/rows"]) {
      const anonymous = await call(path);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toStartWith("Bearer");
      for (const roles of ["customer", "manager", "customer.manager"]) {
        const res = await call(path, roles);
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ detail: "This needs the role operator." });
      }
      expect((await call(path, "manager.operator")).status).toBe(200);
    }
  });

  test("report its outbox backlog, its group on each stream it reads, its dead letters in both places, and its own facts", async () => {
    const stream = streamKey(prefix, "rental");
    const group = consumerGroupOf("payment")!.group;
    expect(await body("")).toEqual({
      worker: "payment",
      outbox: { unpublished: 0 },
      groups: [{ group: "payment", stream, exists: false, pending: 0 }],
      deadLetters: { group: "payment", onStream: 0, inDatabase: 0 },
      own: { things: 0 },
    });

    await db.execute({ sql: "INSERT INTO outbox (event_id, envelope, created_at) VALUES ('e1', '{}', ?), ('e2', '{}', ?)", args: [T, T] });
    await db.execute({ sql: "INSERT INTO things (rental_id, label) VALUES (1, 'one')", args: [] });
    await redis.call("XGROUP", "CREATE", stream, group, "0", "MKSTREAM");
    await redis.xadd(stream, "*", "event", "{}");
    await redis.call("XREADGROUP", "GROUP", group, "c", "STREAMS", stream, ">");
    const letter = { stream, entryId: "1-0", group: "payment", reason: "bad", deliveries: 5, fields: { event: "{}" }, failedAt: T };
    await redis.xadd(deadLetterKey(prefix, "payment"), "*", ...encodeDeadLetter(letter));
    await storeDeadLetters(db, [{ ...letter, id: "2-0" }, { ...letter, id: "3-0" }]);
    expect(await body("")).toEqual({
      worker: "payment",
      outbox: { unpublished: 2 },
      groups: [{ group: "payment", stream, exists: true, pending: 1 }],
      deadLetters: { group: "payment", onStream: 1, inDatabase: 2 },
      own: { things: 1 },
    });
  });

  test("serve its rows by rental id a page at a time, up to the rental asked, and refuse a bad query with a 400 naming it", async () => {
    for (const id of [2, 3, 5, 8, 13]) await db.execute({ sql: "INSERT INTO things (rental_id, label) VALUES (?, ?)", args: [id, `r${id}`] });
    const first = await body("/payment/rows?limit=2");
    expect(first.items.map((r: { rentalId: number }) => r.rentalId)).toEqual([2, 3]);
    expect(first.nextCursor).toBe("3");
    const second = await body(`/payment/rows?limit=2&cursor=${first.nextCursor}&through=8`);
    expect(second).toEqual({ items: [{ rentalId: 5, label: "r5" }, { rentalId: 8, label: "r8" }], nextCursor: null });
    expect((await body(`/payment/rows?cursor=${8}`)).items).toEqual([{ rentalId: 13, label: "r13" }]);

    for (const [query, field] of [["limit=0", "limit"], ["limit=1001", "limit"], ["cursor=nonsense", "cursor"], ["through=-1", "through"]] as const) {
      const res = await call(`/payment/rows?${query}`, "operator");
      expect(res.status).toBe(400);
      expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([field]);
    }
    const elsewhere = await call("/rental/rows", "operator");
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ detail: "This is payment; it serves no rows of rental." });
  });
});
