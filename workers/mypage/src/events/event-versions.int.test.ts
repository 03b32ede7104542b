import { expect, test } from "bun:test";
import { StreamConsumer } from "@rentalnang/shared/bus/consumer/consumer";
import { publishAll } from "@rentalnang/shared/bus/publisher";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { envelopeFor } from "@rentalnang/shared/db/outbox";
import { createLogger } from "@rentalnang/shared/log/logger";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { connectTestRedis, testPrefix, testRedis } from "@rentalnang/shared/testing/harness";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { attemptsKey, deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf } from "@rentalnang/shared/topology/topology";
import { migrations } from "../migrations.ts";
import { findMypage } from "../mypages/mypage-store.ts";
import { createEventHandler } from "./event-handler.ts";

/**
 * Entries written before the window existed stay in the streams: mypage's consumer group
 * folds a version 1 Rented and PaymentApproved already in the streams as it folds version 2,
 * and dead-letters neither.
 */

const cleanup = cleanupEach();
const { group, streams } = consumerGroupOf("mypage")!;
const window = { startAt: "2026-12-01T09:00:00.000Z", endAt: "2026-12-01T12:00:00.000Z" };

test("a version 1 event already in a stream is folded beside version 2 ones", async () => {
  const { url } = await testRedis();
  const redis = await connectTestRedis(cleanup);
  const prefix = testPrefix("versions");
  const dir = cleanup.use(tempDir("versions"));
  const db = await openDatabase(dir.db("mypage"));
  cleanup.defer(() => db.close());
  await migrate(db, migrations);

  const event = (type: string, version: number, rentalId: number, data: Record<string, unknown>) =>
    JSON.stringify(envelopeFor({ type, version, aggregateId: String(rentalId), data: { rentalId, ...data } }, "test", { correlationId: `c${rentalId}` }));
  const rented = { carId: "aaa", rentHour: 3, price: 3000, customerId: "c-1", paymentId: 7 };
  const approved = { paymentId: 7, amount: 3000, rentHour: 3, carId: "aaa" };
  await publishAll(redis, streamKey(prefix, "rental"), [event("Rented", 1, 1, rented), event("Rented", 2, 2, { ...rented, ...window })]);
  await publishAll(redis, streamKey(prefix, "payment"), [event("PaymentApproved", 1, 1, approved), event("PaymentApproved", 2, 2, { ...approved, ...window })]);

  const consumer = new StreamConsumer({
    redis, openBlocking: () => connectRedis(url, "blocking", "test"), streams: streams.map((s) => streamKey(prefix, s)),
    group, consumer: "c1", deadLetterStream: deadLetterKey(prefix, group), attemptsKey: attemptsKey(prefix, group),
    ...createEventHandler({ db }), logger: createLogger("test", "silent"), blockMs: 100,
  });
  await consumer.start();
  cleanup.defer(() => consumer.stop());
  const [v1, v2] = await eventually(async () => {
    const rows = [await findMypage(db, 1), await findMypage(db, 2)];
    return rows.every((r) => r?.reserved && r.paymentApproved) && rows;
  }, { what: "both rentals folded" });
  expect(v1).toMatchObject({ carId: "aaa", price: 3000, customerId: "c-1", paymentId: 7 });
  expect(v1!.startAt ?? null).toBeNull();
  expect(v2).toMatchObject({ carId: "aaa", price: 3000, ...window });
  expect(await redis.xlen(deadLetterKey(prefix, group))).toBe(0);
});
