import { expect, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { connectTestRedis, testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { spawnWorker } from "@rentalnang/shared/testing/processes";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import { historyOf } from "./histories.fixture.ts";
import { MAX_WAIT_SECONDS } from "./long-poll.ts";
import { projectEvents } from "./project-events.ts";
import { RowChanges } from "./row-changes.ts";
import { createRowChangesRelay } from "./row-changes-relay.ts";

/** Long polls across mypage replicas (one database file, one Redis) and through a real shutdown. */

const cleanup = cleanupEach();
const logger = createLogger("test", "silent");

/** A mypage replica in this process: its app, its parked readers and its Redis relay. */
async function replica(dbPath: string, prefix: string) {
  const { url } = await testRedis();
  const db = await openDatabase(dbPath);
  cleanup.defer(() => db.close());
  await migrate(db, migrations);
  const changes = new RowChanges();
  const relay = createRowChangesRelay({ changes, redis: await connectTestRedis(cleanup), redisUrl: url, prefix, logger });
  await relay.service.start();
  cleanup.defer(() => relay.service.stop());
  const app = createApp({ db, changes, logger, health: new Health(), metrics: new Metrics("replica-test"), auth: LAB_MODE });
  return { db, changes, relay, app };
}

/** A request not awaited yet, and whether it has answered. */
function pending(response: Promise<Response> | Response) {
  const tracked = { response: Promise.resolve(response), settled: false };
  void tracked.response.then(() => (tracked.settled = true), () => (tracked.settled = true));
  return tracked;
}

/**
 * Whether the replica has been told that a fold changed this row: a bare watch, which (unlike a
 * reader) has no re-read and no deadline, so only a wake from a fold ends it.
 */
function toldOfChange(changes: RowChanges, rentalId: number) {
  const watch = changes.watch(rentalId);
  cleanup.defer(watch.close);
  let told = false;
  void watch.changed.then(() => (told = true));
  return () => told;
}

test("a reader parked on replica B is woken when replica A folds, by A's change through Redis", async () => {
  const dir = cleanup.use(tempDir("replicas"));
  const prefix = testPrefix("replicas");
  const a = await replica(dir.db("mypage"), prefix);
  const b = await replica(dir.db("mypage"), prefix);
  const [approved, rented, requested, confirmed] = historyOf(1, "confirmed by the manager");

  // A row that does not exist yet: B waits for it, and A's fold wakes B's readers of it.
  let told = toldOfChange(b.changes, 1);
  const appeared = pending(b.app.request("/mypages/1", { headers: { prefer: "wait=5" } }));
  await eventually(() => b.changes.parked === 2, { what: "B's reader parked on rental 1" });
  expect(appeared.settled).toBe(false);
  await projectEvents(a.db, [approved!, rented!], a.relay.committed);
  await eventually(told, { what: "B told of A's fold" });
  const first = await appeared.response;
  expect(first.status).toBe(200);

  // A change: B waits for it with the ETag it has.
  const etag = first.headers.get("etag")!;
  told = toldOfChange(b.changes, 1);
  const changed = pending(b.app.request("/mypages/1", { headers: { prefer: "wait=5", "if-none-match": etag } }));
  await eventually(() => b.changes.parked === 2, { what: "B's reader parked on rental 1 with its ETag" });
  expect(changed.settled).toBe(false);
  await projectEvents(a.db, [requested!, confirmed!], a.relay.committed);
  await eventually(told, { what: "B told of A's second fold" });
  const second = await changed.response;
  expect(second.status).toBe(200);
  expect(((await second.json()) as any).status).toBe("Confirmed");
});

test("SIGTERM answers the parked reads at once, before their waits are over", async () => {
  const { url } = await testRedis();
  const dir = cleanup.use(tempDir("drain"));
  const db = await openDatabase(dir.db("mypage"));
  await migrate(db, migrations);
  await projectEvents(db, historyOf(1, "reserved, awaiting the manager"));
  db.close();
  const mypage = await spawnWorker("mypage", {
    env: { DATABASE_URL: dir.db("mypage"), REDIS_URL: url, STREAM_PREFIX: testPrefix("drain"), AUTH: "off", LOG_LEVEL: "warn" },
  });
  cleanup.defer(() => mypage.kill());
  const etag = (await fetch(`${mypage.url}/mypages/1`)).headers.get("etag")!;
  // Nothing folds here, so only the drain can answer these before their waits end (each wait
  // counted from before its request is sent: it ends no earlier than that).
  const waitsOver = Bun.sleep(MAX_WAIT_SECONDS * 1_000).then(() => "the waits were over" as const);
  const parked = fetch(`${mypage.url}/mypages/1`, { headers: { prefer: "wait=5", "if-none-match": etag } });
  const missing = fetch(`${mypage.url}/mypages/2`, { headers: { prefer: "wait=5" } });
  await Bun.sleep(300);
  const exit = mypage.stop();
  expect(await Promise.race([Promise.all([parked, missing]).then(() => "answered" as const), waitsOver])).toBe("answered");
  const [p, m] = await Promise.all([parked, missing]);
  expect([p.status, m.status]).toEqual([304, 404]);
  expect(await exit).toBe(0);
});

test("a replica's own published change wakes its readers once, not again when Redis echoes it back", async () => {
  const dir = cleanup.use(tempDir("echo"));
  const prefix = testPrefix("echo");
  const a = await replica(dir.db("mypage"), prefix);
  const b = await replica(dir.db("mypage"), prefix);
  const woken = { a: [] as number[][], b: [] as number[][] };
  const notifyA = a.changes.notify.bind(a.changes);
  const notifyB = b.changes.notify.bind(b.changes);
  a.changes.notify = (ids) => (woken.a.push([...ids]), notifyA(ids));
  b.changes.notify = (ids) => (woken.b.push([...ids]), notifyB(ids));
  a.relay.committed([1]);
  await eventually(() => woken.b.length === 1, { what: "B told of A's change" });
  // B publishes after Redis has sent A's message on, so A's subscriber gets B's message after
  // the echo of its own: once A has heard B, that echo has come (and was skipped).
  b.relay.committed([2]);
  await eventually(() => woken.a.length === 2, { what: "A told of B's change" });
  expect(woken).toEqual({ a: [[1], [2]], b: [[1], [2]] });
});
