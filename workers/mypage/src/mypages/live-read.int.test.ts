import { expect, test } from "bun:test";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { spawnWorker } from "@rentalnang/shared/testing/processes";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { createApp } from "../app.ts";
import { migrations } from "../migrations.ts";
import { historyOf } from "./histories.fixture.ts";
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

const timed = async (res: Promise<Response> | Response) => {
  const t0 = performance.now();
  const r = await res;
  return { res: r, ms: performance.now() - t0 };
};

test("a reader parked on replica B wakes when replica A folds, well before its re-read", async () => {
  const dir = cleanup.use(tempDir("replicas"));
  const prefix = testPrefix("replicas");
  const a = await replica(dir.db("mypage"), prefix);
  const b = await replica(dir.db("mypage"), prefix);
  const [approved, rented, requested, confirmed] = historyOf(1, "confirmed by the manager");

  // A row that does not exist yet: B waits for it.
  setTimeout(() => void projectEvents(a.db, [approved!, rented!], a.relay.committed), 300);
  const appeared = await timed(b.app.request("/mypages/1", { headers: { prefer: "wait=4" } }));
  expect(appeared.res.status).toBe(200);
  expect(appeared.ms).toBeLessThan(800);

  // A change: B waits for it with the ETag it has.
  const etag = appeared.res.headers.get("etag")!;
  setTimeout(() => void projectEvents(a.db, [requested!, confirmed!], a.relay.committed), 300);
  const changed = await timed(b.app.request("/mypages/1", { headers: { prefer: "wait=4", "if-none-match": etag } }));
  expect(changed.res.status).toBe(200);
  expect(((await changed.res.json()) as any).status).toBe("Confirmed");
  expect(changed.ms).toBeLessThan(800);
});

test("SIGTERM answers the parked reads at once", async () => {
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
  const parked = timed(fetch(`${mypage.url}/mypages/1`, { headers: { prefer: "wait=5", "if-none-match": etag } }));
  const missing = timed(fetch(`${mypage.url}/mypages/2`, { headers: { prefer: "wait=5" } }));
  await Bun.sleep(300);
  const exit = mypage.stop();
  const [p, m] = await Promise.all([parked, missing]);
  expect([p.res.status, m.res.status]).toEqual([304, 404]);
  expect(Math.max(p.ms, m.ms)).toBeLessThan(1_500);
  expect(await exit).toBe(0);
});

test("a replica's own published change wakes its readers once, not again when Redis echoes it back", async () => {
  const dir = cleanup.use(tempDir("echo"));
  const prefix = testPrefix("echo");
  const a = await replica(dir.db("mypage"), prefix);
  const b = await replica(dir.db("mypage"), prefix);
  const woken = { a: 0, b: 0 };
  const notifyA = a.changes.notify.bind(a.changes);
  const notifyB = b.changes.notify.bind(b.changes);
  a.changes.notify = (ids) => (woken.a++, notifyA(ids));
  b.changes.notify = (ids) => (woken.b++, notifyB(ids));
  a.relay.committed([1]);
  await Bun.sleep(300);
  expect(woken).toEqual({ a: 1, b: 1 });
});
