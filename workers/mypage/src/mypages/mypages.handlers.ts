import type { RouteHandler } from "@hono/zod-openapi";
import { principalOf } from "@rentalnang/shared/auth/authenticate/authenticate";
import { assertRole } from "@rentalnang/shared/auth/require-role/require-role";
import { listedCustomer, maySee } from "@rentalnang/shared/auth/row-access";
import type { Database } from "@rentalnang/shared/db/database";
import { toPage } from "@rentalnang/shared/http/pagination";
import { NotFound } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import { present } from "./mypage-resource.ts";
import { findMypage, listMypages } from "./mypage-store.ts";
import * as routes from "./mypages.routes.ts";

export interface MypagesDeps {
  db: Database;
}

type Handler<R extends "getOne" | "list"> = RouteHandler<(typeof routes)[R], AppEnv>;

const getOne = ({ db }: MypagesDeps): Handler<"getOne"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const { rentalId } = c.req.valid("param");
  const mypage = await findMypage(db, rentalId);
  // Another customer's row is as unknown to this one as a row that has not arrived yet.
  if (!mypage || !maySee(who, mypage.customerId)) throw new NotFound(`Nothing is known about rental ${rentalId} yet.`);
  return c.json(present(mypage), 200);
};

const list = ({ db }: MypagesDeps): Handler<"list"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const q = c.req.valid("query");
  const rows = await listMypages(db, { customerId: listedCustomer(who, q.customerId), status: q.status, before: q.cursor, limit: q.limit });
  return c.json(toPage(rows, q.limit, (r) => present(r.mypage)), 200);
};

/** mypage's HTTP API: the route definitions of mypages.routes.ts with their handlers. */
export function mypagesRouter(deps: MypagesDeps) {
  return newRouter()
    .openapi(routes.getOne, getOne(deps))
    .openapi(routes.list, list(deps));
}
