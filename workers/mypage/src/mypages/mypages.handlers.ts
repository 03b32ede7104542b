import type { RouteHandler } from "@hono/zod-openapi";
import { principalOf } from "@rentalnang/shared/auth/authenticate/authenticate";
import { assertRole } from "@rentalnang/shared/auth/require-role/require-role";
import { listedCustomer, maySee } from "@rentalnang/shared/auth/row-access";
import type { Database } from "@rentalnang/shared/db/database";
import { pageRequest, toPage } from "@rentalnang/shared/http/pagination";
import { NotFound } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import { loggedEventsOfRental } from "./event-log-store.ts";
import { etagOf, lookUntil, noneMatchHits, preferredWait, type Look } from "./long-poll.ts";
import { present, type MypageResource } from "./mypage-resource.ts";
import { findMypage, listMypages } from "./mypage-store.ts";
import * as routes from "./mypages.routes.ts";
import { RowChanges } from "./row-changes.ts";
import { timelineOf } from "./timeline.ts";

export interface MypagesDeps {
  db: Database;
  /** Wakes readers parked by `Prefer: wait`; without it they wake only on their re-reads. */
  changes?: RowChanges;
}

type Handler<R extends "getOne" | "list" | "timeline"> = RouteHandler<(typeof routes)[R], AppEnv>;
type Seen = { kind: "missing" } | { kind: "unchanged"; etag: string } | { kind: "row"; body: MypageResource; etag: string };

const notFound = (rentalId: number) => new NotFound(`Nothing is known about rental ${rentalId} yet.`);

const getOne = ({ db, changes }: MypagesDeps & { changes: RowChanges }): Handler<"getOne"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const { rentalId } = c.req.valid("param");
  const wait = preferredWait(c.req.header("prefer"));
  const ifNoneMatch = c.req.header("if-none-match");
  const look = async (): Promise<Look<Seen>> => {
    const mypage = await findMypage(db, rentalId);
    if (!mypage) return { done: false, answer: { kind: "missing" } };
    // Another customer's row is as unknown to this one as a row that has not arrived yet, and nobody waits on it.
    // A row folded from payment's PaymentApproved before rental's Rented names no customer yet: it may
    // turn out the caller's, so it is missing for now and worth the wait (a reservation just made often
    // reaches mypage in that order).
    if (!maySee(who, mypage.customerId)) return { done: mypage.customerId !== null, answer: { kind: "missing" } };
    const body = present(mypage);
    const etag = etagOf(body);
    return noneMatchHits(ifNoneMatch, etag) ? { done: false, answer: { kind: "unchanged", etag } } : { done: true, answer: { kind: "row", body, etag } };
  };
  const seen = await lookUntil({ changes, rentalId, waitMs: (wait ?? 0) * 1000, signal: c.req.raw.signal }, look);
  if (wait !== undefined) c.header("Preference-Applied", `wait=${wait}`);
  if (seen.kind === "missing") throw notFound(rentalId);
  c.header("ETag", seen.etag);
  return seen.kind === "unchanged" ? c.body(null, 304) : c.json(seen.body, 200);
};

const timeline = ({ db }: MypagesDeps): Handler<"timeline"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const { rentalId } = c.req.valid("param");
  const mypage = await findMypage(db, rentalId);
  if (!mypage || !maySee(who, mypage.customerId)) throw notFound(rentalId);
  return c.json(timelineOf(await loggedEventsOfRental(db, rentalId)), 200);
};

const list = ({ db }: MypagesDeps): Handler<"list"> => async (c) => {
  const who = principalOf(c);
  assertRole(who, "customer", "manager", "operator");
  const q = c.req.valid("query");
  const page = pageRequest(q);
  const rows = await listMypages(db, { customerId: listedCustomer(who, q.customerId), status: q.status, ...page });
  return c.json(toPage(rows, page, (r) => present(r.mypage)), 200);
};

/** mypage's HTTP API: the route definitions of mypages.routes.ts with their handlers. */
export function mypagesRouter(deps: MypagesDeps) {
  const changes = deps.changes ?? new RowChanges();
  return newRouter()
    .openapi(routes.getOne, getOne({ ...deps, changes }))
    .openapi(routes.timeline, timeline(deps))
    .openapi(routes.list, list(deps));
}
