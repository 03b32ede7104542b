import type { RouteHandler } from "@hono/zod-openapi";
import { principalOf } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { actorOf } from "@rentalnang/shared/auth/row-access";
import type { Database } from "@rentalnang/shared/db/database";
import { pageRequest, toPage } from "@rentalnang/shared/http/pagination";
import { Conflict, NotFound } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import type { ConfirmDelivery } from "./confirm-delivery.ts";
import * as routes from "./deliveries.routes.ts";
import { present } from "./delivery-resource.ts";
import { findDelivery, listDeliveries } from "./delivery-store.ts";

export interface DeliveriesDeps {
  db: Database;
  useCases: { confirmDelivery: ConfirmDelivery };
}

type Handler<R extends "list" | "getOne" | "confirm"> = RouteHandler<(typeof routes)[R], AppEnv>;

const notFound = (id: number) => new NotFound(`There is no confirmation request ${id}.`);

const list = ({ db }: DeliveriesDeps): Handler<"list"> => async (c) => {
  const q = c.req.valid("query");
  const page = pageRequest(q);
  const rows = await listDeliveries(db, { status: q.status, rentalId: q.rentalId, ...page });
  return c.json(toPage(rows, page, present), 200);
};

const getOne = ({ db }: DeliveriesDeps): Handler<"getOne"> => async (c) => {
  const { id } = c.req.valid("param");
  const found = await findDelivery(db, id);
  if (!found) throw notFound(id);
  return c.json(present(found), 200);
};

const confirm = ({ useCases }: DeliveriesDeps): Handler<"confirm"> => async (c) => {
  const { id } = c.req.valid("param");
  const result = await useCases.confirmDelivery(id, { correlationId: c.get("requestId") }, actorOf(principalOf(c)));
  switch (result.kind) {
    case "not-found":
      throw notFound(id);
    case "cancelled":
      throw new Conflict(`Request ${id} was cancelled with its rental.`, { deliveryId: id });
    case "confirmed":
    case "already":
      return c.json(present(result.delivery), 200);
    default: {
      const _exhaustive: never = result;
      return _exhaustive;
    }
  }
};

/** delivery's HTTP API: the route definitions of deliveries.routes.ts with their handlers, every one the manager's. */
export function deliveriesRouter(deps: DeliveriesDeps) {
  const router = newRouter();
  router.use("/deliveries", requireRole("manager"));
  router.use("/deliveries/*", requireRole("manager"));
  return router
    .openapi(routes.list, list(deps))
    .openapi(routes.getOne, getOne(deps))
    .openapi(routes.confirm, confirm(deps));
}
