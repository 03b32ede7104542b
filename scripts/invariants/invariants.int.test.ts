import { beforeEach, describe, expect, test } from "bun:test";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { openDatabase } from "@rentalnang/shared/db/database";
import { storeDeadLetters } from "@rentalnang/shared/db/dead-letter-store";
import { migrate } from "@rentalnang/shared/db/migrate";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { connectTestRedis, testPrefix } from "@rentalnang/shared/testing/harness";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf, consumerGroups, consumersOf } from "@rentalnang/shared/topology/topology";
import { migrations as deliveryMigrations } from "../../workers/delivery/src/migrations.ts";
import { migrations as mypageMigrations } from "../../workers/mypage/src/migrations.ts";
import { migrations as paymentMigrations } from "../../workers/payment/src/migrations.ts";
import { migrations as rentalMigrations } from "../../workers/rental/src/migrations.ts";
import { empty, type Mypage } from "../../workers/mypage/src/mypages/mypage.ts";
import { checkInvariants, type Sources } from "./invariants.ts";
import { ROWS_PER_PAGE } from "./saga-rows.ts";

let dbs: Sources["dbs"];
let redis: Redis;
const T = "2026-01-01T00:00:00.000Z";
const cleanup = cleanupEach();

beforeEach(async () => {
  const open = async (m: Parameters<typeof migrate>[1]) => {
    const db = await openDatabase(":memory:");
    cleanup.defer(() => db.close());
    await migrate(db, m);
    return db;
  };
  dbs = {
    rental: await open(rentalMigrations),
    payment: await open(paymentMigrations),
    delivery: await open(deliveryMigrations),
    mypage: await open(mypageMigrations),
  };
  redis = await connectTestRedis(cleanup);
});

async function rental(id: number, status: string, reason: string | null = null, deleted = false) {
  await dbs.rental.execute({
    sql: `INSERT INTO rentals (id, car_id, rent_hour, price, status, payment_id, cancel_reason, created_at, updated_at, deleted_at)
          VALUES (?, 'a', 1, 1000, ?, ?, ?, ?, ?, ?)`,
    args: [id, status, status === "Cancelled" && reason !== "customer" ? null : id, reason, T, T, deleted ? T : null],
  });
}
const payment = (rentalId: number, status: string, amount = 1000) =>
  dbs.payment.execute({
    sql: "INSERT INTO payments (id, rental_id, amount, rent_hour, status, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
    args: [rentalId, rentalId, amount, status, T, T],
  });
const request = (rentalId: number, status: string, carId: string | null = null) =>
  dbs.delivery.execute({
    sql: "INSERT INTO deliveries (rental_id, payment_id, car_id, rent_hour, status, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?, ?)",
    args: [rentalId, rentalId, carId, status, T, T],
  });
/** A view with the details rental() writes (car 'a', 1 hour, price 1000, no customer) unless `facts` says otherwise. */
const view = (rentalId: number, facts: Partial<Mypage>) =>
  dbs.mypage.execute({
    sql: "INSERT INTO mypages (rental_id, facts, status, updated_at) VALUES (?, ?, 'x', ?)",
    args: [rentalId, JSON.stringify({ ...empty(rentalId), carId: "a", rentHour: 1, price: 1000, ...facts }), T],
  });
/** Every consumer group the topology declares, as running consumers create them. */
async function createGroups(prefix: string) {
  for (const { group, streams } of consumerGroups) {
    for (const name of streams) await redis.call("XGROUP", "CREATE", streamKey(prefix, name), group, "0", "MKSTREAM");
  }
}

describe("invariant checker", () => {
  test("a consistent system has no violations", async () => {
    await rental(1, "Reserved");
    await payment(1, "Approved");
    await request(1, "PendingConfirmation");
    await view(1, { reserved: true, paymentApproved: true, confirmationRequested: true });
    await rental(2, "Cancelled", "customer", true);
    await payment(2, "Refunded");
    await request(2, "Cancelled");
    await view(2, { paymentApproved: true, paymentRefunded: true, confirmationRequested: true, confirmationCancelled: true, cancelled: true, cancelReason: "customer" });
    const prefix = testPrefix("inv");
    await createGroups(prefix);
    const report = await checkInvariants({ dbs, redis, prefix });
    expect(report.violations).toEqual([]);
    expect(report.counts).toMatchObject({ rentals: 2, live: 1, cancelled: 1 });
  });

  test("a kept charge, a live request for a cancelled rental, a missing view and a stuck rental are each reported", async () => {
    await rental(1, "Cancelled", "payment-unavailable");
    await payment(1, "Approved");
    await request(1, "PendingConfirmation");
    await rental(2, "PaymentPending");
    await payment(3, "Approved");
    const report = await checkInvariants({ dbs, redis, prefix: testPrefix("inv") });
    expect(report.violations).toEqual(expect.arrayContaining([
      expect.stringContaining("cancelled rental 1 (payment-unavailable) keeps an Approved charge"),
      expect.stringContaining("cancelled rental 1 keeps a live confirmation request"),
      expect.stringContaining("cancelled rental 1 has no mypage row"),
      expect.stringContaining("rental 2 is stuck in PaymentPending"),
      expect.stringContaining("payment 3 (Approved) is for unknown rental 3"),
    ]));
  });

  test("what clients were told is checked against what exists", async () => {
    await rental(1, "Reserved");
    await dbs.rental.execute({ sql: "INSERT INTO idempotency_keys (scope, key, fingerprint, rental_id, created_at, expires_at) VALUES ('c-1', 'k1', 'f', 1, ?, ?)", args: [T, T] });
    await rental(2, "Reserved");
    await dbs.rental.execute({ sql: "INSERT INTO idempotency_keys (scope, key, fingerprint, rental_id, created_at, expires_at) VALUES ('c-1', 'k2', 'f', 2, ?, ?)", args: [T, T] });
    const report = await checkInvariants({ dbs, redis, prefix: testPrefix("inv") }, [{ key: "k1", status: 503, rentalId: 1, cancelled: false }]);
    expect(report.violations).toEqual(expect.arrayContaining([
      "client was told 503 for rental 1, which is live",
      "rental 2 (key k2) exists but no client was told about it",
    ]));
  });

  test("dead letters and pending entries in Redis are violations", async () => {
    const prefix = testPrefix("inv");
    const stream = streamKey(prefix, "rental");
    const [group, deadGroup] = consumersOf("rental");
    await redis.xadd(deadLetterKey(prefix, deadGroup!), "*", "reason", "test");
    await redis.call("XGROUP", "CREATE", stream, group!, "0", "MKSTREAM");
    await redis.xadd(stream, "*", "event", "{}");
    await redis.call("XREADGROUP", "GROUP", group!, "c", "STREAMS", stream, ">");
    const report = await checkInvariants({ dbs, redis, prefix });
    expect(report.violations).toEqual(expect.arrayContaining([
      `${deadGroup} has 1 dead letters`,
      `${group} has 1 pending entries on ${stream}`,
    ]));
  });

  test("a view whose customer, car or price differs from what the owners hold is reported", async () => {
    const consistent = { reserved: true, paymentApproved: true, confirmationRequested: true };
    const reserved = async (id: number, amount = 1000, requestCar = "a") => {
      await rental(id, "Reserved");
      await payment(id, "Approved", amount);
      await request(id, "PendingConfirmation", requestCar);
    };
    await reserved(1);
    await view(1, { ...consistent, price: 999 });
    await reserved(2);
    await view(2, { ...consistent, customerId: "someone-else" });
    await reserved(3);
    await view(3, { ...consistent, carId: "b" });
    await reserved(4, 1200, "z");
    await view(4, consistent);
    const prefix = testPrefix("inv");
    await createGroups(prefix);
    const report = await checkInvariants({ dbs, redis, prefix });
    expect(report.violations.toSorted()).toEqual([
      "rental 1: mypage says price 999, payment charged 1000",
      "rental 1: mypage says price 999, rental says 1000",
      'rental 2: mypage says customerId "someone-else", rental says null',
      'rental 3: mypage says carId "b", delivery says "a"',
      'rental 3: mypage says carId "b", rental says "a"',
      'rental 4: mypage says carId "a", delivery says "z"',
      "rental 4: mypage says price 1000, payment charged 1200",
    ]);
  });

  test("a consumer group the topology declares but Redis does not hold is a violation, not zero pending", async () => {
    const prefix = testPrefix("inv");
    const everyGroup = consumerGroups.flatMap(({ group, streams }) => streams.map((name) => `${group} has no consumer group on ${streamKey(prefix, name)}`));
    expect((await checkInvariants({ dbs, redis, prefix })).violations.toSorted()).toEqual(everyGroup.toSorted());

    await createGroups(prefix);
    const stream = streamKey(prefix, "rental");
    const [group] = consumersOf("rental");
    await redis.call("XGROUP", "DESTROY", stream, group!);
    expect((await checkInvariants({ dbs, redis, prefix })).violations).toEqual([`${group} has no consumer group on ${stream}`]);
  });

  test("rentals beyond one stretch are all checked, rows of rentals between and after them that do not exist are named, and so are clients told about one", async () => {
    const last = ROWS_PER_PAGE * 2 + 100;
    const hole = ROWS_PER_PAGE + 500;
    const declined = (id: number) => [
      {
        sql: `INSERT INTO rentals (id, car_id, rent_hour, price, status, cancel_reason, created_at, updated_at) VALUES (?, 'a', 1, 1000, 'Cancelled', 'payment-declined', ?, ?)`,
        args: [id, T, T],
      },
    ];
    await dbs.rental.batch(Array.from({ length: last }, (_, i) => i + 1).filter((id) => id !== hole).flatMap(declined));
    await dbs.mypage.batch(Array.from({ length: last }, (_, i) => i + 1).filter((id) => id !== hole).map((id) => ({
      sql: "INSERT INTO mypages (rental_id, facts, status, updated_at) VALUES (?, ?, 'x', ?)",
      args: [id, JSON.stringify({ ...empty(id), carId: "a", rentHour: 1, price: 1000, cancelled: true, cancelReason: "payment-declined" }), T],
    })));
    await payment(hole, "Approved");
    await view(last + 50, { reserved: true });
    const prefix = testPrefix("inv");
    await createGroups(prefix);
    const report = await checkInvariants({ dbs, redis, prefix }, [{ key: "k", status: 201, rentalId: hole, cancelled: false }]);
    expect(report.violations.toSorted()).toEqual([
      `client was told 201 for rental ${hole}, which does not exist`,
      `mypage row for unknown rental ${last + 50}`,
      `payment ${hole} (Approved) is for unknown rental ${hole}`,
    ]);
    expect(report.counts).toMatchObject({ rentals: last - 1, cancelled: last - 1, views: last, payments: 1 });
  });

  test("dead letters moved to a worker's database and jobs failed into delivery's are violations too", async () => {
    const prefix = testPrefix("inv");
    await createGroups(prefix);
    const group = consumerGroupOf("payment")!.group;
    const letter = { stream: streamKey(prefix, "rental"), entryId: "1-0", group, reason: "bad", deliveries: 5, fields: { event: "{}" }, failedAt: T };
    await storeDeadLetters(dbs.payment, [{ ...letter, id: "7-0" }]);
    await dbs.delivery.execute({ sql: "INSERT INTO failed_jobs (job_id, name, data, reason, attempts_made, failed_at) VALUES ('j', 'n', '{}', 'r', 8, ?)", args: [T] });
    const report = await checkInvariants({ dbs, redis, prefix });
    expect(report.violations.toSorted()).toEqual([
      "1 confirmation job(s) exhausted their attempts and wait in delivery's database (npm run failed-jobs)",
      `${group} has 1 dead letters (1 moved to payment's database)`,
    ]);
    expect(report.counts.deadLetters).toBe(1);
  });
});
