import { afterAll, expect, test } from "bun:test";
import { createLogger } from "@rentalnang/shared/log/logger";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { createPaymentClient } from "./payment-client.ts";

let charges = 0;
const payment = Bun.serve({ port: 0, fetch: () => Response.json({ id: ++charges, status: "Approved" }, { status: 201 }) });
afterAll(() => payment.stop(true));

const request = { rentalId: 1, rentHour: 2, amount: 2000, carId: "car-1", customerId: "c-1" };

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
