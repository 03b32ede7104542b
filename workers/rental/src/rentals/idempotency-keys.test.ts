import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { openDatabase, type Database } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { createRetention } from "@rentalnang/shared/db/retention";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { createApp } from "../app.ts";
import { seedDemoFleet } from "../cars/car-store.ts";
import { migrations } from "../migrations.ts";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createRentalUseCases } from "./rental-use-cases.ts";

/**
 * Idempotency keys belong to a customer and expire: two customers picking the same key get
 * two rentals, one customer's retry gets the first answer byte for byte, and once the key has
 * expired a request with it is a new reservation (and the retention trim deletes the key).
 */

const HOUR_MS = 3600 * 1000;
const TTL_HOURS = 2;
const logger = createLogger("test", "silent");
let db: Database;
let charges: number;
let clock: number;
let app: ReturnType<typeof createApp>;

async function start(database: Database) {
  db = database;
  charges = 0;
  clock = Date.parse("2026-03-01T00:00:00.000Z");
  const payment: PaymentGateway = {
    charge: async () => ({ kind: "approved", paymentId: ++charges }),
    retryAfterSeconds: () => 1,
    circuit: "closed",
  };
  const useCases = createRentalUseCases({
    db, payment, publishSoon: () => {}, logger,
    now: () => new Date(clock).toISOString(),
    idempotencyKeyTtlMs: TTL_HOURS * HOUR_MS,
  });
  app = createApp({ db, useCases, logger, health: new Health(), metrics: new Metrics("rental-test"), auth: LAB_MODE });
  await seedDemoFleet(db, 1000, new Date(clock).toISOString());
}

afterEach(() => db.close());

const reserve = async (key: string, customerId?: string, carId = "aaa") => {
  const res = await app.request("/rentals", {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify({ carId, rentHour: 2, ...(customerId ? { customerId } : {}) }),
  });
  return { status: res.status, text: await res.text(), location: res.headers.get("location") };
};
const keyRows = async () => Number((await db.execute("SELECT count(*) AS n FROM idempotency_keys")).rows[0]!.n);
const rentalRows = async () => Number((await db.execute("SELECT count(*) AS n FROM rentals")).rows[0]!.n);
const trim = () => createRetention(db, logger, { outbox: false, inbox: false, expiring: ["idempotency_keys"] }).trim(clock);

describe("idempotency keys per customer", () => {
  beforeEach(async () => {
    const database = await openDatabase(":memory:");
    await migrate(database, migrations);
    await start(database);
  });

  test("two customers using the same key get two rentals, each charged once", async () => {
    const alice = await reserve("k-1", "alice");
    const bob = await reserve("k-1", "bob", "bbb"); // another car: the same one's window is alice's
    expect([alice.status, bob.status]).toEqual([201, 201]);
    expect(JSON.parse(bob.text).id).not.toBe(JSON.parse(alice.text).id);
    expect(await rentalRows()).toBe(2);
    expect(charges).toBe(2);
  });

  test("a request without a customer has a scope of its own", async () => {
    const anonymous = await reserve("k-1");
    const alice = await reserve("k-1", "alice", "bbb");
    expect(JSON.parse(alice.text).id).not.toBe(JSON.parse(anonymous.text).id);
    const again = await reserve("k-1");
    expect(again.text).toBe(anonymous.text);
    expect(charges).toBe(2);
  });

  test("the same customer's retry gets the first answer byte for byte, without a second charge", async () => {
    const first = await reserve("k-1", "alice");
    clock += HOUR_MS;
    const again = await reserve("k-1", "alice");
    expect(again).toEqual(first);
    expect(charges).toBe(1);
    expect((await reserve("k-1", "alice", "other-car")).status).toBe(422); // same key, other body
  });

  test("an expired key is ignored: the request is a new reservation, and the trim deletes the old key", async () => {
    const first = await reserve("k-1", "alice");
    await reserve("k-2", "alice", "bbb");
    clock += TTL_HOURS * HOUR_MS - 1;
    expect(await trim()).toEqual({ idempotency_keys: 0 });
    expect((await reserve("k-1", "alice")).text).toBe(first.text);

    clock += 1;
    const later = await reserve("k-1", "alice"); // expired, not yet trimmed: taken over
    expect(later.status).toBe(201);
    expect(JSON.parse(later.text).id).not.toBe(JSON.parse(first.text).id);
    expect(charges).toBe(3);
    expect((await reserve("k-1", "alice")).text).toBe(later.text); // the new answer replays now

    expect(await trim()).toEqual({ idempotency_keys: 1 }); // k-2 expired; k-1 was claimed anew
    expect(await keyRows()).toBe(1);
  });
});

describe("the migration to scoped keys", () => {
  const before = migrations.filter((m) => m.version < 5);
  const createdAt = "2026-03-01T00:00:00.000Z";
  const answer = (id: number) => JSON.stringify({ id, carId: "aaa", rentHour: 2, price: 2000, status: "Reserved", paymentId: id });

  async function oldDatabase() {
    const database = await openDatabase(":memory:");
    await migrate(database, before);
    for (const [id, customer] of [[1, "alice"], [2, null]] as const) {
      await database.execute({
        sql: `INSERT INTO rentals (id, car_id, rent_hour, price, customer_id, status, payment_id, created_at, updated_at)
              VALUES (?, 'aaa', 2, 2000, ?, 'Reserved', ?, ?, ?)`,
        args: [id, customer, id, createdAt, createdAt],
      });
      await database.execute({
        sql: `INSERT INTO idempotency_keys (key, fingerprint, rental_id, response_status, response_body, created_at)
              VALUES (?, ?, ?, 201, ?, ?)`,
        args: [`old-${id}`, JSON.stringify(["aaa", 2, customer]), id, answer(id), createdAt],
      });
    }
    return database;
  }

  test("keys written before it keep replaying for their rental's customer, and expire a day after they were made", async () => {
    const database = await oldDatabase();
    expect(await migrate(database, migrations)).toEqual([5, 6]);
    await start(database);
    const replay = await reserve("old-1", "alice");
    expect(replay).toEqual({ status: 201, text: answer(1), location: "/rentals/1" });
    expect((await reserve("old-2")).text).toBe(answer(2));
    expect(charges).toBe(0);

    clock = Date.parse(createdAt) + 23 * HOUR_MS;
    const bob = await reserve("old-1", "bob", "bbb"); // another customer's key of the same name
    expect(JSON.parse(bob.text).id).toBe(3);

    clock = Date.parse(createdAt) + 24 * HOUR_MS;
    expect(await trim()).toEqual({ idempotency_keys: 2 }); // bob's, younger, stays
    expect(JSON.parse((await reserve("old-1", "alice")).text).id).toBe(4);
  });
});
