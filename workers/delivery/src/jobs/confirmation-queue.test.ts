import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { createLogger } from "@rentalnang/shared/log/logger";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { queuePrefix } from "@rentalnang/shared/topology/redis-keys";
import { createRequestDeliveries } from "../deliveries/request-delivery.ts";
import { migrations } from "../migrations.ts";
import { createConfirmationQueue, type ConfirmationQueue, type QueueOptions } from "./confirmation-queue.ts";
import type { JobData } from "./job-data.ts";
import { listFailedJobs } from "./failed-job-store.ts";

/** The confirmation queue against a private redis-server and a real libSQL database. */

const cleanup = cleanupEach();
let db: Database;
let options: QueueOptions;
let queue: ConfirmationQueue;

beforeEach(async () => {
  db = await openDatabase(":memory:");
  await migrate(db, migrations);
  const url = (await testRedis()).url;
  options = {
    connection: () => connectRedis(url, "bullmq", "test"),
    db,
    prefix: queuePrefix(testPrefix("jobs")),
    attempts: 2,
    backoffMs: 10,
    concurrency: 2,
    requestDeliveries: createRequestDeliveries({ db, publishSoon: () => {} }),
    logger: createLogger("delivery", "silent"),
  };
  queue = createConfirmationQueue(options);
  queue.start();
  cleanup.defer(() => queue.stop());
});

afterEach(() => db.close());

const job = (eventId: string, rentalId = 5): JobData => ({ eventId, correlationId: "c", rentalId, paymentId: 9, carId: "aaa", rentHour: 2 });
const deliveriesOf = async (rentalId: number) =>
  Number((await db.execute({ sql: "SELECT COUNT(*) AS n FROM deliveries WHERE rental_id = ?", args: [rentalId] })).rows[0]!.n);
const completed = () => queue.queue.getJobCountByTypes("completed");

describe("one request per rental", () => {
  test("two PaymentApproved event ids for one rental create exactly one request", async () => {
    await queue.enqueue(job("event-a"));
    await queue.enqueue(job("event-b"));
    await eventually(async () => (await completed()) === 2, { what: "both jobs done" });
    expect(await deliveriesOf(5)).toBe(1);
  });

  test("the same event after its completed job was removed creates no second request", async () => {
    await queue.enqueue(job("event-a"));
    await eventually(async () => (await completed()) === 1, { what: "the job done" });
    await queue.queue.clean(0, 100, "completed");
    await queue.enqueue(job("event-a"));
    await eventually(async () => (await completed()) === 1, { what: "the job run again" });
    expect(await deliveriesOf(5)).toBe(1);
  });
});

describe("the attempt made at once", () => {
  test("a request that succeeds at once queues no job", async () => {
    await queue.request(job("event-n", 8));
    expect(await deliveriesOf(8)).toBe(1);
    expect(await queue.queue.getJob("event-n")).toBeUndefined();
  });

  test("a first attempt that fails is queued, and the job's run (attempt 2) makes the one request", async () => {
    options.failFirstAttempts = 1;
    await queue.request(job("event-r", 9));
    expect(await deliveriesOf(9)).toBe(0);
    await eventually(async () => (await completed()) === 1, { what: "the job done" });
    expect((await queue.queue.getJob("event-r"))?.returnvalue).toBe("created");
    await queue.request(job("event-r", 9)); // the event again: made at once, it finds the request
    expect(await deliveriesOf(9)).toBe(1);
  });
});

describe("a batch's requests", () => {
  test("are made together, one per rental, and queue no job", async () => {
    await queue.requestAll([job("event-1", 21), job("event-2", 22), job("event-3", 21)]);
    expect([await deliveriesOf(21), await deliveriesOf(22)]).toEqual([1, 1]);
    expect(await queue.queue.getJobCounts("waiting", "active", "delayed", "completed")).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0 });
  });

  test("that fail together are made one by one, each at once or else by its job", async () => {
    options.failFirstAttempts = 1;
    await queue.requestAll([job("event-4", 23), job("event-5", 24)]);
    await eventually(async () => (await completed()) === 2, { what: "both jobs done" });
    expect([await deliveriesOf(23), await deliveriesOf(24)]).toEqual([1, 1]);
  });
});

describe("failed jobs", () => {
  test("a job failing every attempt ends in failed_jobs, not in Redis, and a retry from the database completes it", async () => {
    options.failFirstAttempts = 100;
    await queue.enqueue(job("event-f", 6));
    const moved = await eventually(async () => (await listFailedJobs(db))[0], { what: "the failed job in the database" });
    expect(moved).toMatchObject({ jobId: "event-f", attemptsMade: 2, data: job("event-f", 6) });
    expect(moved.reason).toContain("FAULT_JOB_FAILURES");
    await eventually(async () => (await queue.queue.getJob("event-f")) === undefined, { what: "the job gone from Redis" });
    expect(await queue.counts()).toMatchObject({ failed: 0, failed_in_database: 1 });
    expect(await deliveriesOf(6)).toBe(0);

    options.failFirstAttempts = 0;
    expect(await queue.failedJobs.retry()).toBe(1);
    await eventually(async () => (await deliveriesOf(6)) === 1, { what: "the retried job's request" });
    expect(await listFailedJobs(db)).toEqual([]);
  });

  test("a failed job left in Redis (a crash before its move) is moved by the sweep, once", async () => {
    options.failFirstAttempts = 100;
    await queue.stop();
    const plain = createConfirmationQueue(options);
    await plain.queue.add("request-confirmation", job("event-s", 7), { jobId: "event-s", attempts: 1 });
    const { Worker } = await import("bullmq");
    const bare = new Worker(plain.queue.name, async () => { throw new Error("boom"); }, { connection: options.connection(), prefix: options.prefix });
    await eventually(async () => (await plain.queue.getJobCountByTypes("failed")) === 1, { what: "a failed job in Redis" });
    await bare.close();
    expect(await plain.failedJobs.sweep()).toBe(1);
    expect(await plain.failedJobs.sweep()).toBe(0);
    expect((await listFailedJobs(db)).map((j) => j.jobId)).toEqual(["event-s"]);
    await plain.stop();
  });
});
