import { beforeAll, describe, expect, test } from "bun:test";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { addCars, hourSlot } from "@rentalnang/shared/testing/fleet";
import { httpClient, type Json, type Reply } from "@rentalnang/shared/testing/http-client";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { ACCESS_TABLE, type AccessRow, type Caller } from "./access-table.ts";

/**
 * The access table end to end, with every process spawned (identity included) and auth on:
 * each row through the gateway, then straight at the worker that owns the route (a request
 * that skips the gateway meets the same rules).
 */

let stack: Stack;
const cleanup = cleanupAll();
const fixtures: Record<string, number> = {};
let chargedRentalId = 900_000;
let newCars = 0;
/** Cars of the fleet the paths name: one reserved throughout, one only ever retired. */
const CARS: Record<string, string> = { car: "acc", spareCar: "spare" };
/** Every reservation here takes a window of its own: the same car is reserved again and again. */
let slot = 0;

/** rental's client credentials as the identity process's development defaults have them (README: npm start needs no setup). */
const RENTAL_CLIENT = { id: "rental", secret: "rental-development-secret" };

async function clientToken(): Promise<string> {
  const discovery = (await (await fetch(`${stack.identity.url}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
  const res = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${RENTAL_CLIENT.id}:${RENTAL_CLIENT.secret}`)}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const ACCOUNTS: Record<Exclude<Caller, "client" | "none">, string> = { customer: "c-1", manager: "m-1", operator: "o-1" };
const tokens: Partial<Record<Caller, string>> = {};

/** A client at `base` signed in as `caller` (nobody for "none"). */
const as = (caller: Caller, base: string) => httpClient(base, tokens[caller] ? { bearer: tokens[caller] } : {});

async function reserveFor(account: "c-1" | "c-2", carId = "acc"): Promise<Json> {
  const reply = await httpClient(stack.gateway.url, { bearer: await stack.tokenFor(account) }).post("/rentals", { carId, rentHour: 1, startAt: hourSlot(++slot) });
  expect(reply.status).toBe(201);
  return reply.body;
}

beforeAll(async () => {
  stack = await startStack();
  cleanup.defer(() => stack.stop());
  for (const [caller, account] of Object.entries(ACCOUNTS)) tokens[caller as Caller] = await stack.tokenFor(account);
  tokens.client = await clientToken();
  await addCars(stack.gateway.url, ["acc", "fresh", "mine", "acted", "spare"], { authorization: `Bearer ${tokens.manager}` });
  const [own, other] = [await reserveFor("c-1"), await reserveFor("c-2")];
  Object.assign(fixtures, { own: own.id, other: other.id, ownPayment: own.paymentId, otherPayment: other.paymentId });
  const manager = as("manager", stack.gateway.url);
  fixtures.delivery = await eventually(async () => (await manager.get(`/deliveries?rentalId=${own.id}`)).body.items?.[0]?.id, {
    what: "the confirmation request of c-1's rental", timeoutMs: 15_000,
  });
  for (const id of [own.id, other.id]) {
    await eventually(async () => (await manager.get(`/mypages/${id}`)).status === 200, { what: `mypage row ${id}`, timeoutMs: 15_000 });
  }
});

/** The row's path with its fixtures filled in; fresh rentals are reserved now. */
async function pathOf(row: AccessRow): Promise<string> {
  let path = row.path;
  if (path.includes("{fresh}")) path = path.replace("{fresh}", String((await reserveFor("c-1", "fresh")).id));
  if (path.includes("{freshOther}")) path = path.replace("{freshOther}", String((await reserveFor("c-2", "fresh")).id));
  return path.replace(/\{(\w+)\}/g, (_, name: string) => String(CARS[name] ?? fixtures[name]));
}

const bodyOf = (row: AccessRow) =>
  row.body && {
    ...JSON.parse(JSON.stringify(row.body).replace('"{newRental}"', String(++chargedRentalId)).replace("{newCar}", `new-${++newCars}`)),
    ...(row.path === "/rentals" ? { startAt: hourSlot(++slot) } : {}),
  };

function expectRefusal(reply: Reply, status: number) {
  if (status < 400) return;
  expect(reply.headers.get("content-type")).toStartWith("application/problem+json");
  if (status === 401) expect(reply.headers.get("www-authenticate")).toBeTruthy();
}

for (const via of ["gateway", "worker"] as const) {
  describe(`the access table, ${via === "gateway" ? "through the gateway" : "straight at each worker"}`, () => {
    for (const row of ACCESS_TABLE.filter((r) => via === "worker" || !r.directOnly)) {
      for (const [caller, status] of Object.entries(row.expect) as [Caller, number][]) {
        const body = row.body ? ` ${JSON.stringify(row.body)}` : "";
        test(`${row.method} ${row.path}${body} as ${caller} → ${status}`, async () => {
          const base = via === "gateway" ? stack.gateway.url : stack.procs[row.owner].url;
          const reply = await as(caller, base).request(row.method, await pathOf(row), { json: bodyOf(row) });
          expect({ status: reply.status, detail: reply.body?.detail }).toMatchObject({ status });
          expectRefusal(reply, status);
        });
      }
    }
  });
}

describe("rows a customer sees", () => {
  test("lists hold only the customer's own rows, whatever customerId they ask for; managers see everyone's", async () => {
    const lists = { "/rentals": "rental", "/mypages": "mypage", "/payments": "payment" } as const;
    for (const [path, owner] of Object.entries(lists)) {
      for (const base of [stack.gateway.url, stack.procs[owner].url]) {
        for (const query of ["", "?customerId=c-2"]) {
          const reply = await as("customer", base).get(`${path}${query}`);
          expect(reply.status).toBe(200);
          expect(reply.body.items.length).toBeGreaterThan(0);
          expect(new Set(reply.body.items.map((r: Json) => r.customerId))).toEqual(new Set(["c-1"]));
        }
      }
      const all = await as("manager", stack.gateway.url).get(`${path}?limit=100`);
      expect(new Set(all.body.items.map((r: Json) => r.customerId))).toContain("c-2");
    }
  });

  test("a reservation without customerId is the token subject's", async () => {
    expect((await reserveFor("c-1", "mine")).customerId).toBe("c-1");
  });
});

describe("who acted", () => {
  test("mypage names the manager who confirmed and the one who cancelled", async () => {
    const rental = await reserveFor("c-2", "acted");
    const manager = as("manager", stack.gateway.url);
    const request = await eventually(async () => (await manager.get(`/deliveries?rentalId=${rental.id}`)).body.items?.[0], {
      what: "its confirmation request", timeoutMs: 15_000,
    });
    expect((await manager.post(`/deliveries/${request.id}/confirm`)).status).toBe(200);
    expect((await manager.delete(`/rentals/${rental.id}`)).status).toBe(204);
    const row = await eventually(async () => {
      const r = await manager.get(`/mypages/${rental.id}`);
      return r.body.status === "Cancelled" && r.body.confirmedBy === "m-1" && r.body;
    }, { what: "the cancelled row", timeoutMs: 15_000 });
    expect(row).toMatchObject({ confirmedBy: "m-1", cancelledBy: "m-1", cancelReason: "customer" });
  });
});

describe("tokens at the workers", () => {
  test("a worker reached directly refuses a bad token with a 401 problem itself", async () => {
    for (const name of ["rental", "payment", "delivery", "mypage"] as const) {
      const path = { rental: "/rentals", payment: "/payments", delivery: "/deliveries", mypage: "/mypages" }[name];
      const forged = `${tokens.customer!.slice(0, -4)}AAAA`;
      const reply = await httpClient(stack.procs[name].url, { bearer: forged }).get(path);
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expectRefusal(reply, 401);
    }
  });

  test("restarting identity keeps issued tokens valid, even at a worker that fetches the keys anew", async () => {
    const issued = await stack.tokenFor("load-901", ["customer"]);
    await stack.restartIdentity();
    await stack.restartWith("mypage");
    const reply = await httpClient(stack.procs.mypage.url, { bearer: issued }).get("/mypages");
    expect(reply.status).toBe(200);
  });
});
