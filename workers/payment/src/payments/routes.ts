import { createRoute, z } from "@hono/zod-openapi";
import type { Database } from "@rentalnang/shared/db/database";
import { intLike } from "@rentalnang/shared/http/integers";
import { PageQuery, toPage } from "@rentalnang/shared/http/pagination";
import { Conflict, HttpProblem, NotFound } from "@rentalnang/shared/http/problem";
import { newRouter } from "@rentalnang/shared/http/service-app";
import { idParams, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import type { Charge } from "./charges.ts";
import { findPayment, listPayments } from "./payment-store.ts";
import { present } from "./representation.ts";

const MAX_AMOUNT = 1_000_000_000;

export const ChargeBody = z
  .object({
    rentalId: intLike(1, Number.MAX_SAFE_INTEGER),
    rentHour: intLike(1, 720),
    /** Defaults to rentHour × RATE_PER_HOUR. */
    amount: intLike(0, MAX_AMOUNT).optional(),
    /** Carried to the manager's confirmation request. */
    carId: z.string().max(64).nullish(),
    customerId: z.string().max(128).nullish(),
  })
  .openapi("Charge");

const Payment = z
  .object({
    id: z.number().int(),
    rentalId: z.number().int(),
    amount: z.number().int(),
    rentHour: z.number().int(),
    carId: z.string().nullable(),
    customerId: z.string().nullable(),
    status: z.enum(["Approved", "Declined", "Refunded"]),
    createdAt: z.string(),
    updatedAt: z.string(),
    _links: z.object({ self: z.object({ href: z.string() }), rental: z.object({ href: z.string() }) }),
  })
  .openapi("Payment");

const IdParams = idParams("id");

export function paymentRoutes({ db, charge, ratePerHour }: { db: Database; charge: Charge; ratePerHour: number }) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: "post",
      path: "/payments",
      summary: "Charge a rental (service to service); idempotent per rentalId",
      request: { body: { content: { "application/json": { schema: ChargeBody } }, required: true } },
      responses: {
        201: { content: { "application/json": { schema: Payment } }, description: "Approved" },
        200: { content: { "application/json": { schema: Payment } }, description: "Already approved (a repeat)" },
        400: problem("Bad input"),
        402: problem("Declined (amount over PAYMENT_LIMIT)"),
        409: problem("The rental was cancelled before it was charged"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const result = await charge(
        {
          rentalId: body.rentalId,
          rentHour: body.rentHour,
          amount: body.amount ?? body.rentHour * ratePerHour,
          carId: body.carId ?? null,
          customerId: body.customerId ?? null,
        },
        { correlationId: c.get("requestId") },
      );
      if (result.kind === "refused") throw new Conflict(result.reason, { rentalId: body.rentalId });
      const payment = result.payment;
      if (payment.status === "Declined") {
        throw new HttpProblem(402, "Payment Required", `The amount ${payment.amount} is over the limit.`, {
          paymentId: payment.id,
          rentalId: payment.rentalId,
        });
      }
      const status = result.kind === "created" ? 201 : 200;
      return c.json(present(payment), status, { Location: `/payments/${payment.id}` });
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/payments/{id}",
      request: { params: IdParams },
      responses: { 200: { content: { "application/json": { schema: Payment } }, description: "The payment" }, 404: problem("Unknown") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const payment = await findPayment(db, id);
      if (!payment) throw new NotFound(`There is no payment ${id}.`);
      return c.json(present(payment), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/payments",
      request: { query: z.object({ rentalId: optionalQuery(intLike(1, Number.MAX_SAFE_INTEGER)), ...PageQuery }) },
      responses: {
        200: {
          content: { "application/json": { schema: pageOf(Payment) } },
          description: "A page of payments, newest first",
        },
        400: problem("Bad filter"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await listPayments(db, { rentalId: q.rentalId, before: q.cursor, limit: q.limit });
      return c.json(toPage(rows, q.limit, present), 200);
    },
  );

  return app;
}
