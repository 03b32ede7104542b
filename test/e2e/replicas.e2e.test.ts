import { expect, test } from "bun:test";
import { fromFlatReply } from "@rentalnang/shared/bus/flat-reply";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { addCars } from "@rentalnang/shared/testing/fleet";
import { httpClient } from "@rentalnang/shared/testing/http-client";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups, workerNames } from "@rentalnang/shared/topology/topology";
import type { ClientRecord } from "../../scripts/invariants/client-invariants.ts";
import { checkInvariants, type Report } from "../../scripts/invariants/invariants.ts";

/**
 * Two replicas of every worker, each its own process on its own port, both on the worker's
 * one database file (two processes on one WAL file stand in for replicas on a libSQL server)
 * and one Redis. The gateway lists both replicas of each upstream, rental both of payment.
 * With one replica of every worker SIGKILLed, reservations are still answered 201 at the
 * first try (a refused connection goes to the other replica) and everything settles.
 */

const cleanup = cleanupEach();
const RESERVATIONS = 12;
const CUSTOMER = "c-1";
const MANAGER = "m-1";

const requestsServed = (stack: Stack, replica: number) =>
  stack.replicas.rental[replica]!.output.filter((l) => l.includes('"msg":"request"') && l.includes('"path":"/rentals"')).length;

async function reserveAll(stack: Stack, records: ClientRecord[], from: number) {
  const cars = Array.from({ length: RESERVATIONS }, (_, i) => `car-${from + i}`);
  await addCars(stack.gateway.url, cars, { authorization: `Bearer ${await stack.tokenFor(MANAGER)}` });
  const api = httpClient(() => stack.gateway.url, { bearer: () => stack.tokenFor(CUSTOMER) });
  for (const carId of cars) {
    const key = crypto.randomUUID();
    const res = await api.post("/rentals", { carId, rentHour: 2, customerId: CUSTOMER }, { "idempotency-key": key });
    expect(res.status).toBe(201);
    records.push({ key, status: 201, rentalId: res.body.id, cancelled: false });
  }
}

async function settled(stack: Stack, records: ClientRecord[]): Promise<Report> {
  const dbs = await stack.databases();
  const redis = connectRedis(stack.redisUrl, "command", "test");
  cleanup.defer(() => redis.disconnect());
  let report: Report | undefined;
  await eventually(
    async () => {
      report = await checkInvariants({ dbs, redis, prefix: stack.prefix }, records);
      return report.violations.length === 0;
    },
    { what: "every invariant", timeoutMs: 30_000 },
  ).catch(() => {});
  return report!;
}

test(
  "two replicas of each worker share its work; with one of each SIGKILLed every reservation is still answered 201 and settles",
  async () => {
    const stack = await startStack({}, undefined, { replicas: 2, auth: "off" }); // lab mode: this is about replicas, not access
    cleanup.defer(() => stack.stop());
    for (const w of workerNames) {
      expect(new Set(stack.replicas[w].map((p) => p.port)).size).toBe(2);
      expect(stack.replicas[w].map((p) => p.proc.exitCode)).toEqual([null, null]);
    }
    const records: ClientRecord[] = [];
    await reserveAll(stack, records, 0);
    // The gateway took turns: both rental replicas answered reservations.
    expect(requestsServed(stack, 0)).toBeGreaterThan(0);
    expect(requestsServed(stack, 1)).toBeGreaterThan(0);

    // Each replica reads in its worker's group under a name of its own.
    const redis = connectRedis(stack.redisUrl, "command", "test");
    cleanup.defer(() => redis.disconnect());
    for (const { group, streams } of consumerGroups) {
      const consumers = ((await redis.call("XINFO", "CONSUMERS", streamKey(stack.prefix, streams[0]!), group)) as unknown[][]).map(fromFlatReply);
      expect(consumers.length).toBeGreaterThanOrEqual(2);
    }
    // Quiet first, so no entry is pending on a replica about to die (the janitor would take 15 s).
    expect((await settled(stack, records)).violations).toEqual([]);

    for (const w of workerNames) await stack.replicas[w][0]!.kill();
    await reserveAll(stack, records, RESERVATIONS);
    const whileDown = await settled(stack, records);
    expect(whileDown.violations).toEqual([]);
    expect(whileDown.counts.views).toBe(2 * RESERVATIONS);

    for (const w of workerNames) await stack.restartWith(w, {}, 0);
    await reserveAll(stack, records, 2 * RESERVATIONS);
    expect((await settled(stack, records)).violations).toEqual([]);
  },
  120_000,
);
