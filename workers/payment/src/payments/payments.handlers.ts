import type { RouteHandler } from "@hono/zod-openapi";
import type { Database } from "@rentalnang/shared/db/database";
import { toPage } from "@rentalnang/shared/http/pagination";
import { Conflict, HttpProblem, NotFound } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import type { ChargePayment } from "./charge-payment.ts";
import { present } from "./payment-resource.ts";
import { findPayment, listPayments } from "./payment-store.ts";
import * as routes from "./payments.routes.ts";

export interface PaymentsDeps {
  db: Database;
  useCases: { chargePayment: ChargePayment };
}

type Handler<R extends "charge" | "getOne" | "list"> = RouteHandler<(typeof routes)[R], AppEnv>;

const charge = ({ useCases }: PaymentsDeps): Handler<"charge"> => async (c) => {
  const body = c.req.valid("json");
  const result = await useCases.chargePayment(
    { ...body, carId: body.carId ?? null, customerId: body.customerId ?? null },
    { correlationId: c.get("requestId") },
  );
  switch (result.kind) {
    case "refused":
      throw new Conflict(result.reason, { rentalId: body.rentalId });
    case "declined":
      throw new HttpProblem(402, "Payment Required", `The amount ${result.payment.amount} is over the limit.`, {
        paymentId: result.payment.id,
        rentalId: result.payment.rentalId,
      });
    case "approved":
      return c.json(present(result.payment), result.repeat ? 200 : 201, { Location: `/payments/${result.payment.id}` });
    default: {
      const _exhaustive: never = result;
      return _exhaustive;
    }
  }
};

const getOne = ({ db }: PaymentsDeps): Handler<"getOne"> => async (c) => {
  const { id } = c.req.valid("param");
  const payment = await findPayment(db, id);
  if (!payment) throw new NotFound(`There is no payment ${id}.`);
  return c.json(present(payment), 200);
};

const list = ({ db }: PaymentsDeps): Handler<"list"> => async (c) => {
  const q = c.req.valid("query");
  const rows = await listPayments(db, { rentalId: q.rentalId, before: q.cursor, limit: q.limit });
  return c.json(toPage(rows, q.limit, present), 200);
};

/** payment's HTTP API: the route definitions of payments.routes.ts with their handlers. */
export function paymentsRouter(deps: PaymentsDeps) {
  return newRouter()
    .openapi(routes.charge, charge(deps))
    .openapi(routes.getOne, getOne(deps))
    .openapi(routes.list, list(deps));
}
