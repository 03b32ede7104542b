import { beforeAll, describe, expect, test } from "bun:test";
import { databaseVariable } from "@rentalnang/shared/config/worker-database-urls";
import { INVARIANTS_PATH } from "@rentalnang/shared/invariant-facts/facts";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { hourSlot } from "@rentalnang/shared/testing/fleet";
import { httpClient, type Json } from "@rentalnang/shared/testing/http-client";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { workerNames } from "@rentalnang/shared/topology/topology";

/**
 * check-invariants as a cluster runs it: through the gateway with an operator's token
 * (`--gateway`), each worker reporting its own facts, no database or Redis of its own. The
 * stack checks tokens; its cars are the demo fleet (aaa … eee).
 */

let stack: Stack;
let operator: string;
const cleanup = cleanupAll();

beforeAll(async () => {
  stack = await startStack();
  cleanup.defer(() => stack.stop());
  operator = await stack.tokenFor("o-1");
});

const check = (token?: string, gateway = stack.gateway.url) =>
  runScript("scripts/check-invariants.ts", ["--gateway", gateway], token === undefined ? {} : { OPERATOR_TOKEN: token });

/** Reserves, confirms, cancels and is declined, through the gateway as customer c-1 and manager m-1; waits until mypage shows each outcome. */
async function runSagas() {
  const customer = httpClient(stack.gateway.url, { bearer: await stack.tokenFor("c-1") });
  const manager = httpClient(stack.gateway.url, { bearer: await stack.tokenFor("m-1") });
  const view = (id: number, until: (v: Json) => boolean) =>
    eventually(async () => {
      const r = await customer.get(`/mypages/${id}`);
      return r.status === 200 && until(r.body) && r.body;
    }, { what: `mypage of rental ${id}` });
  const reserve = async (carId: string, rentHour: number, status: number) => {
    const r = await customer.post("/rentals", { carId, rentHour, startAt: hourSlot(3) });
    expect(r.status).toBe(status);
    return (r.body.id ?? r.body.rentalId) as number;
  };
  const confirmed = await reserve("aaa", 2, 201);
  const { deliveryId } = await view(confirmed, (v) => v.deliveryId !== null);
  expect((await manager.post(`/deliveries/${deliveryId}/confirm`)).status).toBe(200);
  const cancelled = await reserve("bbb", 1, 201);
  await view(cancelled, (v) => v.confirmationStatus === "PendingConfirmation");
  expect((await customer.delete(`/rentals/${cancelled}`)).status).toBe(204);
  const declined = await reserve("ccc", 600, 402);
  const awaiting = await reserve("ddd", 3, 201);
  await view(confirmed, (v) => v.status === "Confirmed");
  await view(cancelled, (v) => v.paymentStatus === "Refunded" && v.confirmationStatus === "Cancelled");
  await view(declined, (v) => v.status === "Cancelled");
  await view(awaiting, (v) => v.status === "AwaitingConfirmation");
}

describe("check-invariants --gateway", () => {
  test("after a few sagas it finds nothing wrong, and reports what the databases and Redis read straight report", async () => {
    await runSagas();
    // The last acks and outbox marks land a moment after the views: wait for a clean report.
    const clean = await eventually(async () => {
      const run = await check(operator);
      return run.code === 0 && run;
    }, { what: "a check through the gateway without violations", timeoutMs: 20_000 });
    expect(clean.out).toMatch(/violations\s+0/);
    expect(clean.out).toMatch(/rentals\s+4/);
    const straight = await runScript("scripts/check-invariants.ts", [], {
      REDIS_URL: stack.redisUrl,
      STREAM_PREFIX: stack.prefix,
      ...Object.fromEntries(workerNames.map((w) => [databaseVariable(w), stack.dbUrl(w)])),
    });
    expect(straight.code).toBe(0);
    expect(straight.out).toBe(clean.out);
  });

  test("a broken row written into a worker's database is reported through the gateway", async () => {
    const { payment } = await stack.databases();
    const T = new Date().toISOString();
    await payment.execute({
      sql: "INSERT INTO payments (rental_id, amount, rent_hour, status, created_at, updated_at) VALUES (424242, 1000, 1, 'Approved', ?, ?)",
      args: [T, T],
    });
    const run = await check(operator);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/payment \d+ \(Approved\) is for unknown rental 424242/);
    expect(run.out).toMatch(/violations\s+1\n/);
  });

  test("without a token, with another role's, or at a gateway that does not answer, it stops in one line and never prints the token", async () => {
    const customer = await stack.tokenFor("c-1");
    const runs = {
      none: await check(undefined),
      customer: await check(customer),
      nowhere: await check(operator, `http://127.0.0.1:${await freePort()}`),
    };
    expect(runs.none.err).toContain("refused the request (401");
    expect(runs.none.err).toContain("set OPERATOR_TOKEN");
    expect(runs.customer.err).toContain("refused the token (403: This needs the role operator.)");
    expect(runs.nowhere.err).toContain("cannot reach the gateway at http://127.0.0.1:");
    for (const run of Object.values(runs)) {
      expect(run.code).toBe(1);
      expect(run.out).toBe("");
      expect(run.err.trim().split("\n")).toHaveLength(1);
      expect(run.err).not.toContain(customer);
      expect(run.err).not.toContain(operator);
    }
  });
});

describe("the invariant facts", () => {
  test("each worker serves its own to operators only, and the gateway all four", async () => {
    const as = (url: string, token?: string) => httpClient(url, token ? { bearer: token } : {});
    const manager = await stack.tokenFor("m-1");
    for (const w of workerNames) {
      const url = stack.procs[w].url;
      expect((await as(url).get(INVARIANTS_PATH)).status).toBe(401);
      expect((await as(url, manager).get(INVARIANTS_PATH)).status).toBe(403);
      expect((await as(url, manager).get(`${INVARIANTS_PATH}/${w}/rows`)).status).toBe(403);
      const own = await as(url, operator).get(INVARIANTS_PATH);
      expect(own.status).toBe(200);
      expect(own.body.worker).toBe(w);
    }
    const gateway = stack.gateway.url;
    expect((await as(gateway).get(INVARIANTS_PATH)).status).toBe(401);
    expect((await as(gateway, manager).get(INVARIANTS_PATH)).status).toBe(403);
    expect((await as(gateway, manager).get(`${INVARIANTS_PATH}/rental/rows`)).status).toBe(403);
    const all = await as(gateway, operator).get(INVARIANTS_PATH);
    expect(all.status).toBe(200);
    expect(all.body.workers.map((f: Json) => f.worker).toSorted()).toEqual([...workerNames].toSorted());
    expect(all.body.unavailable).toEqual([]);
    const rows = await as(gateway, operator).get(`${INVARIANTS_PATH}/rental/rows?limit=1`);
    expect(rows.status).toBe(200);
    expect(rows.body.items).toHaveLength(1);
    expect((await as(gateway, operator).get(`${INVARIANTS_PATH}/nobody/rows`)).status).toBe(404);
  });

  test("a worker that does not answer is named by the gateway, and the check stops in one line saying which", async () => {
    await stack.procs.mypage.stop();
    const all = await httpClient(stack.gateway.url, { bearer: operator }).get(INVARIANTS_PATH);
    expect(all.status).toBe(200);
    expect(all.body.unavailable).toEqual([{ worker: "mypage", reason: "unreachable" }]);
    const run = await check(operator);
    expect(run.code).toBe(1);
    expect(run.out).toBe("");
    expect(run.err.trim().split("\n")).toEqual([expect.stringContaining("could not ask mypage (unreachable) for its facts")]);
  });
});
