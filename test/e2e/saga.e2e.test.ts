import { beforeAll, describe, expect, test } from "bun:test";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { BOARD, startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { addCars } from "@rentalnang/shared/testing/fleet";
import { httpClient, type Json } from "@rentalnang/shared/testing/http-client";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { topology } from "@rentalnang/shared/topology/topology";

/**
 * The requirements, end to end through the gateway, with all five processes spawned.
 * FR1 reserve and pay · FR2 payment failure cancels · FR3 the manager confirms ·
 * FR4 the customer sees the status · FR5 the customer cancels · FR6 reservations keep
 * flowing while the manager's side (or mypage) is down.
 */

let stack: Stack;
let G: string;
const cleanup = cleanupAll();
const gateway = httpClient(() => G);
const boardAuth = { authorization: `Basic ${btoa(`${BOARD.user}:${BOARD.password}`)}` };
const CONFIRMATIONS = topology.workers.delivery.queues.confirmationRequests;

beforeAll(async () => {
  // Lab mode (AUTH=off), as the original ran: the requirements here are the saga's; who may
  // do what has its own test (access.e2e.test.ts).
  stack = await startStack({}, undefined, { auth: "off" });
  cleanup.defer(() => stack.stop());
  G = stack.gateway.url;
});

/** Each test names its own car, added to the fleet first. */
async function reserve(carId: string, rentHour: number | string = 2, customerId = "c-1") {
  await addCars(G, [carId]);
  return gateway.post("/rentals", { carId, rentHour, customerId });
}
const rebuild = (...args: string[]) => runScript("workers/mypage/src/rebuild.ts", args, stack.envOf("mypage"));

async function mypageOf(rentalId: number, until: (v: Json) => boolean, timeoutMs = 15_000) {
  return eventually(async () => {
    const r = await gateway.get(`/mypages/${rentalId}`);
    return r.status === 200 && until(r.body) && r.body;
  }, { what: `mypage of rental ${rentalId}`, timeoutMs });
}

async function requestOf(rentalId: number) {
  return eventually(async () => {
    const r = await gateway.get(`/deliveries?rentalId=${rentalId}`);
    return r.body.items.length === 1 ? (r.body.items[0] as Json) : undefined;
  }, { what: `confirmation request of rental ${rentalId}`, timeoutMs: 15_000 });
}

describe("the saga through the gateway", () => {
  test("FR1/FR4: a reservation is paid at once and shows on mypage as AwaitingConfirmation", async () => {
    const r = await reserve("fr1", "3");
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "Reserved", price: 3000 });
    const view = await mypageOf(r.body.id, (v) => v.status === "AwaitingConfirmation");
    expect(view).toMatchObject({ carId: "fr1", paymentStatus: "Approved", confirmationStatus: "PendingConfirmation", customerId: "c-1" });
    const payment = await gateway.get(`/payments/${r.body.paymentId}`);
    expect(payment.body.status).toBe("Approved");
  });

  test("FR2: a declined payment cancels the reservation, and mypage says so", async () => {
    const r = await reserve("fr2", 700);
    expect(r.status).toBe(402);
    const view = await mypageOf(r.body.rentalId, (v) => v.status === "Cancelled");
    expect(view).toMatchObject({ paymentStatus: "Declined", cancelReason: "payment-declined", confirmationStatus: null });
    const requests = await gateway.get(`/deliveries?rentalId=${r.body.rentalId}`);
    expect(requests.body.items).toEqual([]);
  });

  test("FR3: the manager confirms; rental and mypage follow; confirming again changes nothing", async () => {
    const r = await reserve("fr3");
    const request = await requestOf(r.body.id);
    expect(request).toMatchObject({ status: "PendingConfirmation", carId: "fr3", rentHour: 2 });
    const confirmed = await gateway.post(`/deliveries/${request.id}/confirm`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe("Confirmed");
    expect((await gateway.post(`/deliveries/${request.id}/confirm`)).body.status).toBe("Confirmed");
    await mypageOf(r.body.id, (v) => v.status === "Confirmed" && v.confirmationStatus === "Confirmed");
    await eventually(async () => (await gateway.get(`/rentals/${r.body.id}`)).body.status === "Confirmed");
    expect((await gateway.post("/deliveries/999999/confirm")).status).toBe(404);
  });

  for (const when of ["Reserved", "Confirmed"] as const) {
    test(`FR5: the customer cancels while ${when}: deleted, refunded, request cancelled, mypage Cancelled`, async () => {
      const r = await reserve(`fr5-${when}`);
      const request = await requestOf(r.body.id);
      if (when === "Confirmed") {
        await gateway.post(`/deliveries/${request.id}/confirm`);
        await eventually(async () => (await gateway.get(`/rentals/${r.body.id}`)).body.status === "Confirmed");
      }
      expect((await gateway.delete(`/rentals/${r.body.id}`)).status).toBe(204);
      expect((await gateway.get(`/rentals/${r.body.id}`)).status).toBe(404);
      expect((await gateway.delete(`/rentals/${r.body.id}`)).status).toBe(404);
      const view = await mypageOf(r.body.id, (v) => v.status === "Cancelled" && v.paymentStatus === "Refunded" && v.confirmationStatus === "Cancelled");
      expect(view.cancelReason).toBe("customer");
      expect((await gateway.get(`/payments/${r.body.paymentId}`)).body.status).toBe("Refunded");
      expect((await gateway.get(`/deliveries/${request.id}`)).body.status).toBe("Cancelled");
      expect((await gateway.post(`/deliveries/${request.id}/confirm`)).status).toBe(409);
    });
  }

  test("the customer's list on mypage, newest first, by customer and status", async () => {
    const ids = [];
    for (const car of ["m1", "m2", "m3"]) ids.push((await reserve(car, 1, "lister")).body.id);
    for (const id of ids) await mypageOf(id, (v) => v.status === "AwaitingConfirmation");
    const page = await gateway.get("/mypages?customerId=lister&limit=2");
    expect(page.body.items.map((v: Json) => v.rentalId)).toEqual([ids[2], ids[1]]);
    const next = await gateway.get(`/mypages?customerId=lister&limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body).toMatchObject({ items: [expect.objectContaining({ rentalId: ids[0] })], nextCursor: null });
    const awaiting = await gateway.get("/mypages?status=AwaitingConfirmation&limit=100");
    expect(awaiting.body.items.every((v: Json) => v.status === "AwaitingConfirmation")).toBe(true);
  });

  test("bad input is answered with the same problems through the gateway", async () => {
    expect((await gateway.post("/rentals", { carId: "" })).status).toBe(400);
    const malformed = await fetch(`${G}/rentals`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toStartWith("application/problem+json");
    const media = await fetch(`${G}/rentals`, { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    expect(media.status).toBe(415);
    expect((await gateway.request("PATCH", "/rentals/1", { json: {} })).status).toBe(405);
    expect((await gateway.get("/mypages/abc")).status).toBe(400);
    expect((await gateway.get("/mypages/987654")).status).toBe(404);
    expect((await gateway.post("/payments", { rentalId: 1, rentHour: 1 })).status).toBe(405);
    const echoed = await fetch(`${G}/rentals?limit=1`, { headers: { "x-request-id": "trace-me" } });
    expect(echoed.headers.get("x-request-id")).toBe("trace-me");
  });

  test("the queue board answers 401 without credentials and serves its page with them", async () => {
    const denied = await fetch(`${G}/admin/queues`);
    expect(denied.status).toBe(401);
    expect(denied.headers.get("www-authenticate")).toStartWith("Basic"); // browsers prompt for it
    const page = await fetch(`${G}/admin/queues`, { headers: boardAuth });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>Bull Dashboard</title>");
    const api = await fetch(`${G}/admin/queues/api/queues`, { headers: boardAuth });
    expect(((await api.json()) as Json).queues.map((q: Json) => q.name)).toContain(CONFIRMATIONS);
  });

  test("each service describes its API at /openapi.json", async () => {
    const expected = {
      rental: ["/rentals", "/rentals/{id}", "/cars", "/cars/{id}"],
      payment: ["/payments", "/payments/{id}"],
      delivery: ["/deliveries", "/deliveries/{id}", "/deliveries/{id}/confirm"],
      mypage: ["/mypages", "/mypages/{rentalId}", "/mypages/{rentalId}/timeline"],
    } as const;
    for (const [name, paths] of Object.entries(expected)) {
      const res = await fetch(`${stack.procs[name as keyof typeof expected].url}/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Json;
      expect(Object.keys(doc.paths).sort()).toEqual([...paths].sort());
      expect(doc.components.schemas.Problem).toBeDefined();
    }
  });

  test("each process exposes Prometheus metrics at /metrics", async () => {
    await reserve("metrics");
    const text = async (url: string) => (await fetch(`${url}/metrics`)).text();
    await eventually(async () => (await text(stack.procs.mypage.url)).includes('events_handled_total{group="mypage",type="Rented",outcome="ok"'));
    const rental = await text(stack.procs.rental.url);
    expect(rental).toContain('http_request_duration_seconds_count{service="rental",method="POST",route="/rentals",status="201"}');
    expect(rental).toContain('payment_call_duration_seconds_count{service="rental",outcome="approved"}');
    expect(rental).toContain('payment_circuit_open{service="rental"} 0');
    expect(rental).toMatch(/outbox_unpublished\{service="rental"\} \d+/);
    expect(await text(stack.procs.delivery.url)).toContain('confirmation_jobs{state="failed",service="delivery"}');
    expect(await text(G)).toContain('route="/rentals"');
  });

  test("the gateway's readiness reports each upstream and its Redis (web sessions, rate limits)", async () => {
    const ready = await gateway.get("/readyz");
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(["delivery", "mypage", "payment", "redis", "rental"]);
  });
});

describe("FR6: the manager's side and the view may be down", () => {
  for (const down of ["delivery", "mypage"] as const) {
    test(`with ${down} stopped, 20 reservations all answer 201 and all reach AwaitingConfirmation after it returns`, async () => {
      await stack.procs[down].stop();
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await reserve(`down-${down}-${i}`, 1, `fr6-${down}`);
        expect(r.status).toBe(201);
        ids.push(r.body.id);
      }
      await stack.restartWith(down);
      for (const id of ids) await mypageOf(id, (v) => v.status === "AwaitingConfirmation", 30_000);
      const requests = await gateway.get(`/deliveries?status=PendingConfirmation&limit=100`);
      for (const id of ids) expect(requests.body.items.filter((d: Json) => d.rentalId === id)).toHaveLength(1);
    });
  }

  test("a cancellation that reaches delivery before its request leaves no live request", async () => {
    await stack.procs.delivery.stop();
    const r = await reserve("early-cancel");
    expect((await gateway.delete(`/rentals/${r.body.id}`)).status).toBe(204);
    await stack.restartWith("delivery");
    await mypageOf(r.body.id, (v) => v.status === "Cancelled" && v.paymentStatus === "Refunded");
    // Both the cancellation and the approval have been handled once delivery's group is drained.
    await eventually(async () => {
      const ready = await gateway.get("/readyz");
      return ready.status === 200;
    });
    const requests = await eventually(async () => {
      const jobs = await fetch(`${stack.procs.delivery.url}/readyz`).then((x) => x.json() as Promise<Json>);
      const q = jobs.checks.queue.jobs;
      return q.waiting + q.active + q.delayed === 0 ? await gateway.get(`/deliveries?rentalId=${r.body.id}`) : undefined;
    });
    expect(requests.body.items.filter((d: Json) => d.status !== "Cancelled")).toEqual([]);
  });

  test("a delivery job that fails twice and then succeeds ends in exactly one request", async () => {
    await stack.restartWith("delivery", { FAULT_JOB_FAILURES: "2", JOB_BACKOFF_MS: "50" });
    try {
      const r = await reserve("flaky");
      const request = await requestOf(r.body.id);
      expect(request.status).toBe("PendingConfirmation");
      const log = stack.procs.delivery.output.join("\n");
      expect(log.match(/FAULT_JOB_FAILURES: attempt \d fails on purpose/g)?.length).toBeGreaterThanOrEqual(2);
      const all = await gateway.get(`/deliveries?rentalId=${r.body.id}`);
      expect(all.body.items).toHaveLength(1);
    } finally {
      await stack.restartWith("delivery");
    }
  });

  test("a job that exhausts its attempts moves from Redis into delivery's failed_jobs, and `npm run failed-jobs -- retry` completes it", async () => {
    const failedCount = async () => {
      const res = await fetch(`${G}/admin/queues/api/queues?activeQueue=${CONFIRMATIONS}&status=failed`, { headers: boardAuth });
      const queue = ((await res.json()) as Json).queues.find((q: Json) => q.name === CONFIRMATIONS);
      return queue.counts.failed as number;
    };
    const failedJobs = (...args: string[]) => runScript("scripts/failed-jobs.ts", args, stack.envOf("delivery"));
    await stack.restartWith("delivery", { FAULT_JOB_FAILURES: "100", JOB_ATTEMPTS: "2", JOB_BACKOFF_MS: "50" });
    let rentalId = 0;
    try {
      rentalId = (await reserve("exhausted")).body.id;
      await eventually(async () => (await failedJobs("list")).out.includes(`"rentalId":${rentalId}`), { what: "the failed job in the database", timeoutMs: 15_000 });
      expect(await failedCount()).toBe(0);
      expect((await gateway.get(`/deliveries?rentalId=${rentalId}`)).body.items).toEqual([]);
    } finally {
      await stack.restartWith("delivery");
    }
    const retry = await failedJobs("retry");
    expect(retry.code).toBe(0);
    expect(retry.out).toContain("retried 1 failed job(s)");
    const request = await requestOf(rentalId);
    expect(request.status).toBe("PendingConfirmation");
    expect((await failedJobs("list")).out).toContain("no failed jobs");
  }, 90_000);

  test("the fault switch is refused in production", async () => {
    const { code, err } = await runScript("workers/delivery/src/main.ts", [], { ...stack.envOf("delivery"), NODE_ENV: "production", AUTH: "on", FAULT_JOB_FAILURES: "1" });
    expect(code).toBe(78); // EX_CONFIG: the launcher does not restart it
    expect(err).toContain("FAULT_JOB_FAILURES: is a test-only fault switch");
  });
});

describe("rebuild:mypage", () => {
  test("drops the view and refolds the events it kept into the same rows", async () => {
    const before = (await gateway.get("/mypages?limit=100")).body.items as Json[];
    expect(before.length).toBeGreaterThan(10);
    const run = await rebuild();
    expect(run.code).toBe(0);
    expect(run.out).toContain("wrote");
    const after = await eventually(async () => {
      const items = (await gateway.get("/mypages?limit=100")).body.items as Json[];
      return JSON.stringify(items) === JSON.stringify(before) ? items : undefined;
    }, { what: "the rebuilt view", timeoutMs: 20_000 });
    expect(after).toEqual(before);
  });

  test("--from-streams refuses to drop the view once the streams were trimmed, and --keep-rows replays into it; the kept events still rebuild it", async () => {
    const redis = connectRedis(stack.redisUrl, "command", "rebuild-test");
    await redis.call("XTRIM", streamKey(stack.prefix, "rental"), "MAXLEN", "1");
    redis.disconnect();
    const count = async () => ((await gateway.get("/mypages?limit=100")).body.items as Json[]).length;
    const rows = await count();
    const refused = await rebuild("--from-streams");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("refused: the streams were trimmed");
    expect(await count()).toBe(rows);
    const kept = await rebuild("--from-streams", "--keep-rows");
    expect(kept.code).toBe(0);
    expect(kept.out).toContain("kept");
    expect(await count()).toBe(rows);
    const rebuilt = await rebuild();
    expect(rebuilt.code).toBe(0);
    expect(await count()).toBe(rows);
  });
});
