import { afterAll, expect, test } from "bun:test";
import { createLogger } from "@rentalnang/shared/log/logger";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { createPaymentClient } from "./payment-client.ts";

let charges = 0;
const seen: { authorization: string | null; body: unknown }[] = [];
const payment = Bun.serve({
  port: 0,
  fetch: async (req) => {
    seen.push({ authorization: req.headers.get("authorization"), body: await req.json() });
    return Response.json({ id: ++charges, status: "Approved" }, { status: 201 });
  },
});
afterAll(() => payment.stop(true));

const request = {
  rentalId: 1, rentHour: 2, amount: 2000, carId: "car-1", customerId: "c-1",
  startAt: "2026-12-01T10:00:00.000Z", endAt: "2026-12-01T12:00:00.000Z",
};

test("with a replica of payment down, every charge reaches the one that is up and the circuit stays closed", async () => {
  const down = `http://127.0.0.1:${await freePort()}`;
  const client = createPaymentClient({
    baseUrl: [down, `http://127.0.0.1:${payment.port}`],
    timeoutMs: 1_000,
    concurrency: 4,
    breakerThreshold: 2,
    halfOpenAfterMs: 60_000,
    logger: createLogger("payment-client-test", "silent"),
  });
  const outcomes = [];
  for (let i = 0; i < 6; i++) outcomes.push(await client.charge({ ...request, rentalId: i + 1 }, `req-${i}`));
  expect(outcomes.map((o) => o.kind)).toEqual(Array(6).fill("approved"));
  expect(charges).toBe(6);
  expect(client.circuit).toBe("closed");
});

test("a charge carries rental's own token and the window it pays for", async () => {
  const client = createPaymentClient({
    baseUrl: `http://127.0.0.1:${payment.port}`,
    timeoutMs: 1_000,
    concurrency: 4,
    breakerThreshold: 2,
    halfOpenAfterMs: 60_000,
    logger: createLogger("payment-client-test", "silent"),
    token: async () => "rental-token",
  });
  expect((await client.charge({ ...request, rentalId: 99 }, "req-token")).kind).toBe("approved");
  const last = seen.at(-1)!;
  expect(last.authorization).toBe("Bearer rental-token");
  expect(last.body).toMatchObject({ rentalId: 99, amount: 2000, startAt: request.startAt, endAt: request.endAt });
});
