import { expect, test } from "bun:test";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { authenticate, type AuthEnv } from "../auth/authenticate/authenticate.ts";
import type { Principal, Role } from "../auth/principal.ts";
import { encodeDeadLetter } from "../bus/dead-letter.ts";
import { openDatabase } from "../db/database.ts";
import { deadLetterMigration, listStoredDeadLetters, storeDeadLetters } from "../db/dead-letter-store.ts";
import { migrate } from "../db/migrate.ts";
import { onError } from "../http/problem.ts";
import { createLogger } from "../log/logger.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { connectTestRedis, testPrefix } from "../testing/harness.ts";
import { tempDir } from "../testing/temp-dir.ts";
import { deadLetterKey, streamKey } from "../topology/redis-keys.ts";
import { DEAD_LETTERS_PATH, deadLetterRoutes } from "./dead-letter-routes.ts";

const cleanup = cleanupEach();

/** A verifier that believes every token: the token is the role list, dot-separated. */
const believer = { verify: async (token: string): Promise<Principal> => ({ subject: "someone", roles: token.split(".") as Role[], clientId: undefined }) };

function letter(prefix: string, n: number) {
  return {
    stream: streamKey(prefix, "rental"), entryId: `${n}-0`, group: "payment", reason: `reason ${n}`, deliveries: 5,
    fields: { event: JSON.stringify({ type: "Rented", data: { n } }) }, failedAt: new Date().toISOString(),
  };
}

test("a worker serves its group's dead letters to operators: list both places, redrive one, drop one", async () => {
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix("dlroutes");
  const db = await openDatabase(cleanup.use(tempDir("dlroutes")).db("payment"));
  cleanup.defer(() => db.close());
  await migrate(db, [deadLetterMigration(1)]);
  await storeDeadLetters(db, [{ ...letter(prefix, 1), id: "1000-0" }]);
  const onStream = (await redis.xadd(deadLetterKey(prefix, "payment"), "*", ...encodeDeadLetter(letter(prefix, 2))))!;
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requestId());
  app.onError(onError(createLogger("dl-test", "silent")));
  app.use(authenticate({ verifier: believer }));
  app.route(DEAD_LETTERS_PATH, deadLetterRoutes({ redis, db, prefix, group: "payment" }));
  const call = (path: string, roles: string, method = "GET") =>
    app.request(`${DEAD_LETTERS_PATH}${path}`, { method, headers: { Authorization: `Bearer ${roles}` } });

  expect((await call("", "manager.customer")).status).toBe(403);
  const listed = (await (await call("", "operator")).json()) as { deadLetters: { id: string; place: string; reason: string; event: unknown }[] };
  expect(listed.deadLetters.map((l) => [l.id, l.place, l.reason])).toEqual([["1000-0", "database", "reason 1"], [onStream, "stream", "reason 2"]]);
  expect(listed.deadLetters[1]!.event).toEqual({ type: "Rented", data: { n: 2 } });

  expect((await call("/mypage/1000-0/redrive", "operator", "POST")).status).toBe(404);
  expect((await call("/payment/9-9/redrive", "operator", "POST")).status).toBe(404);
  const redriven = await call("/payment/1000-0/redrive", "operator", "POST");
  expect(redriven.status).toBe(200);
  expect(await redriven.json()).toEqual({ redriven: 1 });
  const back = await redis.xrange(streamKey(prefix, "rental"), "-", "+");
  expect(back.map(([, fields]) => JSON.parse(fields[1]!).data)).toEqual([{ n: 1 }]);
  expect(await listStoredDeadLetters(db, "payment")).toEqual([]);

  expect((await call(`/payment/${onStream}`, "customer", "DELETE")).status).toBe(403);
  expect((await call(`/payment/${onStream}`, "operator", "DELETE")).status).toBe(204);
  expect(await redis.xlen(deadLetterKey(prefix, "payment"))).toBe(0);
  expect((await call(`/payment/${onStream}`, "operator", "DELETE")).status).toBe(404);
});
