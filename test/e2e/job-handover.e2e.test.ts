import { expect, test } from "bun:test";
import { Queue } from "bullmq";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { connectTestRedis, testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { httpClient } from "@rentalnang/shared/testing/http-client";
import { spawnWorker } from "@rentalnang/shared/testing/processes";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { queuePrefix, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { topology } from "@rentalnang/shared/topology/topology";

/**
 * A delivery process dies holding a confirmation job: it stops renewing the job's lock, and
 * BullMQ's stalled-job check in another delivery process hands the job over. The job's
 * request is created exactly once, by the process that got it.
 */

const RENTAL_ID = 4242;
/** Set here: a run of many files does not always apply test/setup.ts's default to each. */
const TEST_TIMEOUT_MS = 25_000;
const cleanup = cleanupEach();
const http = httpClient();

test("a job held by a SIGKILLed delivery is taken over by another and makes one request", async () => {
  const server = await testRedis();
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix("handover");
  const dir = cleanup.use(tempDir("handover"));
  // Lab mode (AUTH=off): this is about the queue, not access.
  const env = { REDIS_URL: server.url, STREAM_PREFIX: prefix, DATABASE_URL: dir.db("delivery"), AUTH: "off" };
  // The request's first attempt (made at once) fails, so it becomes a job; the job's run waits.
  const holder = await spawnWorker("delivery", { env: { ...env, FAULT_JOB_FAILURES: "1", FAULT_JOB_DELAY_MS: "60000" } });
  cleanup.defer(() => holder.kill());

  const approved = envelopeFor(
    { type: "PaymentApproved", version: 1, aggregateId: String(RENTAL_ID), data: { paymentId: 9, rentalId: RENTAL_ID, amount: 1000, rentHour: 1, carId: "hand" } },
    "payment",
    { correlationId: "handover" },
  );
  await redis.xadd(streamKey(prefix, "payment"), "*", "event", JSON.stringify(approved));

  const queue = new Queue(topology.workers.delivery.queues.confirmationRequests, {
    connection: connectRedis(server.url, "bullmq", "test"),
    prefix: queuePrefix(prefix),
  });
  cleanup.defer(() => queue.close());
  const stateOf = async () => (await queue.getJob(approved.id))?.getState();
  await eventually(async () => (await stateOf()) === "active", { what: "the job active in the first delivery" });
  await eventually(() => holder.output.some((line) => line.includes("FAULT_JOB_DELAY_MS")), { what: "the job's work under way" });
  await holder.kill();
  expect(await stateOf()).toBe("active"); // still listed as held by the dead process

  const taker = cleanup.use(await spawnWorker("delivery", { env }));
  const job = await eventually(async () => {
    const j = await queue.getJob(approved.id);
    return (await j?.getState()) === "completed" && j;
  }, { what: "the job completed by the second delivery", timeoutMs: 15_000 });
  expect(job.returnvalue).toBe("created");
  expect(job.stalledCounter).toBe(1); // recovered through the stalled check, not retried after a failure
  expect(taker.output.some((line) => line.includes("confirmation request job done"))).toBe(true);

  const deliveries = await http.get(`${taker.url}/deliveries?rentalId=${RENTAL_ID}`);
  expect(deliveries.body.items).toEqual([expect.objectContaining({ rentalId: RENTAL_ID, status: "PendingConfirmation" })]);
  const requested = async () =>
    (await redis.xrange(streamKey(prefix, "delivery"), "-", "+"))
      .map(([, fields]) => JSON.parse(fields[1]!))
      .filter((e) => e.type === "ConfirmationRequested" && e.data.rentalId === RENTAL_ID);
  await eventually(async () => (await requested()).length > 0, { what: "ConfirmationRequested published" });
  expect(await requested()).toHaveLength(1);
}, TEST_TIMEOUT_MS);
