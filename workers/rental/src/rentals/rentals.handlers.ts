import type { RouteHandler } from "@hono/zod-openapi";
import type { Database } from "@rentalnang/shared/db/database";
import { pageRequest, toPage } from "@rentalnang/shared/http/pagination";
import { Conflict, HttpProblem, NotFound } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import { principalOf } from "@rentalnang/shared/auth/authenticate/authenticate";
import { assertRole } from "@rentalnang/shared/auth/require-role/require-role";
import { actingCustomer, actorOf, listedCustomer, maySee } from "@rentalnang/shared/auth/row-access";
import type { CancelRental } from "./cancel-rental.ts";
import type { Refusal } from "./claim-window.ts";
import type { ReserveIdempotently } from "./idempotent-reservation.ts";
import { present } from "./rental-resource.ts";
import { findRental, listRentals } from "./rental-store.ts";
import * as routes from "./rentals.routes.ts";
import { answeredOf, answerHeaders, type Answered } from "./reservation-answer.ts";
import { refusalProblem } from "./refusal-problem.ts";
import type { Busy, ReserveRental } from "./reserve-rental.ts";

export interface RentalsDeps {
  db: Database;
  useCases: { reserveRental: ReserveRental; reserveIdempotently: ReserveIdempotently; cancelRental: CancelRental };
}

type Handler<R extends "reserve" | "getOne" | "list" | "cancel"> = RouteHandler<(typeof routes)[R], AppEnv>;

const reserve = ({ useCases }: RentalsDeps): Handler<"reserve"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer");
  const body = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"];
  const input = { carId: body.carId, rentHour: body.rentHour, customerId: actingCustomer(who, body.customerId ?? null), startAt: body.startAt };
  const cause = { correlationId: c.get("requestId") };
  let answered: Answered | Busy | Refusal;
  if (key) {
    // Keys are the caller's own: two customers may pick the same key. In lab mode nobody is
    // known, and the body's customerId names whose they are.
    answered = await useCases.reserveIdempotently(who.anonymous ? input.customerId : who.subject, key, input, cause);
  } else {
    const result = await useCases.reserveRental(input, cause);
    if (result.kind === "duplicate") throw new Error("a reservation without a key cannot be a duplicate");
    answered = answeredOf(result);
  }
  if ("kind" in answered) throw answered.kind === "busy" ? busyProblem(answered) : refusalProblem(answered);
  const { answer, rentalId } = answered;
  const headers = answerHeaders(answer, rentalId);
  switch (answer.status) {
    case 201:
      return c.json(answer.body, 201, headers);
    case 402:
      return c.json(answer.body, 402, headers);
    case 503:
      return c.json(answer.body, 503, headers);
    default: {
      const _exhaustive: never = answer;
      return _exhaustive;
    }
  }
};

/** 503 before anything was written or charged: no rental, so no rentalId. */
const busyProblem = (busy: Busy) =>
  new HttpProblem(
    503, "Service Unavailable",
    "Reservations are paused while earlier events wait to be delivered; nothing was charged. Try again later.",
    { reason: busy.reason, retryAfter: busy.retryAfter },
    { "Retry-After": String(busy.retryAfter) },
  );

const getOne = ({ db }: RentalsDeps): Handler<"getOne"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const { id } = c.req.valid("param");
  const rental = await findRental(db, id);
  if (!rental || rental.deletedAt || !maySee(who, rental.customerId)) throw new NotFound(`There is no rental ${id}.`);
  return c.json(present(rental), 200);
};

const list = ({ db }: RentalsDeps): Handler<"list"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const q = c.req.valid("query");
  const customerId = listedCustomer(who, q.customerId);
  const page = pageRequest(q);
  const rows = await listRentals(db, { customerId, status: q.status, ...page });
  return c.json(toPage(rows, page, present), 200);
};

const cancel = ({ useCases }: RentalsDeps): Handler<"cancel"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager");
  const { id } = c.req.valid("param");
  // A customer may cancel only their own (a manager sees, and cancels, everyone's).
  const result = await useCases.cancelRental(id, { correlationId: c.get("requestId") }, {
    actor: actorOf(who),
    mayCancel: (rental) => maySee(who, rental.customerId),
  });
  switch (result.kind) {
    case "cancelled":
      return c.body(null, 204);
    case "not-found":
      throw new NotFound(`There is no rental ${id}.`);
    case "not-cancellable":
      throw new Conflict(result.reason, { rentalId: id, status: result.rental.status });
    default: {
      const _exhaustive: never = result;
      return _exhaustive;
    }
  }
};

/** rental's HTTP API: the route definitions of rentals.routes.ts with their handlers. */
export function rentalsRouter(deps: RentalsDeps) {
  return newRouter()
    .openapi(routes.reserve, reserve(deps))
    .openapi(routes.getOne, getOne(deps))
    .openapi(routes.list, list(deps))
    .openapi(routes.cancel, cancel(deps));
}
