import type { RouteHandler } from "@hono/zod-openapi";
import { principalOf } from "@rentalnang/shared/auth/authenticate/authenticate";
import { Forbidden } from "@rentalnang/shared/auth/errors";
import type { Principal } from "@rentalnang/shared/auth/principal";
import { assertRole } from "@rentalnang/shared/auth/require-role/require-role";
import { listedCustomer, maySee } from "@rentalnang/shared/auth/row-access";
import type { Database } from "@rentalnang/shared/db/database";
import { pageRequest, toPage } from "@rentalnang/shared/http/pagination";
import { Conflict, HttpProblem, NotFound, ValidationFailed } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import type { ChargePayment } from "./charge-payment.ts";
import { present } from "./payment-resource.ts";
import { findPayment, listPayments } from "./payment-store.ts";
import * as routes from "./payments.routes.ts";

export interface PaymentsDeps {
  db: Database;
  useCases: { chargePayment: ChargePayment };
  /** Client ids whose own tokens may charge (PAYMENT_CALLERS). */
  callers: readonly string[];
}

type Handler<R extends "charge" | "getOne" | "list"> = RouteHandler<(typeof routes)[R], AppEnv>;

/**
 * Charges come from a service's own identity only (a client-credentials token, its subject
 * the client itself), and only from the clients named; a person's token never charges.
 */
function assertCaller(who: Principal, callers: readonly string[]): void {
  if (who.anonymous) return;
  const isClient = who.clientId !== undefined && who.subject === who.clientId;
  if (!isClient || !callers.includes(who.clientId!)) throw new Forbidden("Only the rental service's own client identity may charge.");
}

/** A caller with a token speaks the current contract: the amount and the window are its to say. */
function assertWindowGiven(who: Principal, body: { amount?: number; startAt?: string; endAt?: string }): void {
  if (who.anonymous) return;
  const missing = (["amount", "startAt", "endAt"] as const).filter((field) => body[field] === undefined);
  if (missing.length > 0) throw new ValidationFailed(missing.map((path) => ({ path, message: "is required" })));
}

const charge = ({ useCases, callers }: PaymentsDeps): Handler<"charge"> => async (c) => {
  const who = principalOf(c);
  assertCaller(who, callers);
  const body = c.req.valid("json");
  assertWindowGiven(who, body);
  const result = await useCases.chargePayment(
    { ...body, carId: body.carId ?? null, customerId: body.customerId ?? null, startAt: body.startAt ?? null, endAt: body.endAt ?? null },
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
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const { id } = c.req.valid("param");
  const payment = await findPayment(db, id);
  if (!payment || !maySee(who, payment.customerId)) throw new NotFound(`There is no payment ${id}.`);
  return c.json(present(payment), 200);
};

const list = ({ db }: PaymentsDeps): Handler<"list"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const q = c.req.valid("query");
  const page = pageRequest(q);
  const rows = await listPayments(db, { rentalId: q.rentalId, customerId: listedCustomer(who, undefined), ...page });
  return c.json(toPage(rows, page, present), 200);
};

/** payment's HTTP API: the route definitions of payments.routes.ts with their handlers. */
export function paymentsRouter(deps: PaymentsDeps) {
  return newRouter()
    .openapi(routes.charge, charge(deps))
    .openapi(routes.getOne, getOne(deps))
    .openapi(routes.list, list(deps));
}
