import type { RouteHandler } from "@hono/zod-openapi";
import { principalOf } from "@rentalnang/shared/auth/authenticate/authenticate";
import { assertRole } from "@rentalnang/shared/auth/require-role/require-role";
import type { Database } from "@rentalnang/shared/db/database";
import { pageRequest } from "@rentalnang/shared/http/pagination";
import { Conflict, NotFound, ValidationFailed } from "@rentalnang/shared/http/problem";
import { newRouter, type AppEnv } from "@rentalnang/shared/http/service-app";
import type { Window } from "../rentals/window.ts";
import type { AddCar } from "./add-car.ts";
import { CARS_ORDER, encodeCarCursor } from "./car-cursor.ts";
import { present } from "./car-resource.ts";
import { findCar, listCars } from "./car-store.ts";
import * as routes from "./cars.routes.ts";
import type { RetireCar } from "./retire-car.ts";

export interface CarsDeps {
  db: Database;
  cars: { addCar: AddCar; retireCar: RetireCar };
}

type Handler<R extends "add" | "getOne" | "list" | "retire"> = RouteHandler<(typeof routes)[R], AppEnv>;

/** Everyone signed in reads the fleet. */
const READERS = ["customer", "manager", "operator"] as const;

const add = ({ cars }: CarsDeps): Handler<"add"> => async (c) => {
  assertRole(principalOf(c), "manager");
  const result = await cars.addCar(c.req.valid("json"));
  if (result.kind === "duplicate") throw new Conflict(`There is a car ${result.id} already.`, { carId: result.id });
  return c.json(present(result.car), 201, { Location: `/cars/${result.car.id}` });
};

const getOne = ({ db }: CarsDeps): Handler<"getOne"> => async (c) => {
  assertRole(principalOf(c), ...READERS);
  const { id } = c.req.valid("param");
  const car = await findCar(db, id);
  if (!car) throw new NotFound(`There is no car ${id}.`);
  return c.json(present(car), 200);
};

/** The window of `availableFrom`/`availableTo`: both or neither, the start before the end. */
function windowOf(from: string | undefined, to: string | undefined): Window | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) {
    const missing = from === undefined ? "availableFrom" : "availableTo";
    throw new ValidationFailed([{ path: missing, message: "is needed with the other end of the window" }]);
  }
  const window = { startAt: new Date(from).toISOString(), endAt: new Date(to).toISOString() };
  if (window.startAt >= window.endAt) throw new ValidationFailed([{ path: "availableTo", message: "must be after availableFrom" }]);
  return window;
}

const list = ({ db }: CarsDeps): Handler<"list"> => async (c) => {
  assertRole(principalOf(c), ...READERS);
  const q = c.req.valid("query");
  const page = pageRequest(q, CARS_ORDER);
  const rows = await listCars(db, { freeFor: windowOf(q.availableFrom, q.availableTo), ...page });
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return c.json({ items: items.map(present), nextCursor: rows.length > page.limit && last ? encodeCarCursor(last.id, page.order) : null }, 200);
};

const retire = ({ cars }: CarsDeps): Handler<"retire"> => async (c) => {
  assertRole(principalOf(c), "manager");
  const { id } = c.req.valid("param");
  const result = await cars.retireCar(id);
  if (result.kind === "not-found") throw new NotFound(`There is no car ${id}.`);
  return c.body(null, 204);
};

/** The fleet's HTTP API: the route definitions of cars.routes.ts with their handlers. */
export function carsRouter(deps: CarsDeps) {
  return newRouter()
    .openapi(routes.add, add(deps))
    .openapi(routes.getOne, getOne(deps))
    .openapi(routes.list, list(deps))
    .openapi(routes.retire, retire(deps));
}
