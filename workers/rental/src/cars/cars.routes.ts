import { createRoute, z } from "@hono/zod-openapi";
import { intLike } from "@rentalnang/shared/http/integers";
import { accessProblems, jsonBody, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, orderQuery } from "@rentalnang/shared/http/pagination";
import { CarCursor } from "./car-cursor.ts";
import { CarId, CarResource } from "./car-resource.ts";

/** The highest rate a car may have, in won per hour: far above any real one, well inside an integer. */
const MAX_RATE_PER_HOUR = 10_000_000;

export const AddCarBody = z
  .object({
    id: CarId,
    model: z.string().trim().min(1).max(100),
    ratePerHour: intLike(1, MAX_RATE_PER_HOUR),
  })
  .openapi("AddCar");

const IdParams = z.object({ id: CarId.openapi({ param: { name: "id", in: "path" } }) });
const Instant = z.iso.datetime({ offset: true });

export const add = createRoute({
  method: "post",
  path: "/cars",
  summary: "Add a car to the fleet (managers)",
  request: { body: jsonBody(AddCarBody) },
  responses: {
    201: jsonContent(CarResource, "Added"),
    400: problem("Bad input"),
    ...accessProblems("Not a manager"),
    409: problem("A car with this id exists already (perhaps retired)"),
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/cars/{id}",
  summary: "One car, retired ones included (retired: true)",
  request: { params: IdParams },
  responses: {
    200: jsonContent(CarResource, "The car"),
    ...accessProblems("No role that may read the fleet"),
    404: problem("Unknown"),
  },
});

export const list = createRoute({
  method: "get",
  path: "/cars",
  summary: "Active cars in the order of their ids (order=desc: backwards); with availableFrom and availableTo, only those free for that whole window",
  request: {
    query: z.object({
      availableFrom: optionalQuery(Instant),
      availableTo: optionalQuery(Instant),
      limit: optionalQuery(intLike(1, MAX_PAGE_SIZE)).default(DEFAULT_PAGE_SIZE),
      order: orderQuery("without it, ascending by id (`asc`), the fleet's order; `desc` lists the ids backwards"),
      cursor: optionalQuery(CarCursor),
    }),
  },
  responses: {
    200: jsonContent(pageOf(CarResource), "A page of cars"),
    400: problem("Bad window (both ends, the start before the end), limit, order or cursor (or a cursor issued for the other order)"),
    ...accessProblems("No role that may read the fleet"),
  },
});

export const retire = createRoute({
  method: "delete",
  path: "/cars/{id}",
  summary: "Retire a car (managers): new reservations of it are refused, existing ones kept",
  request: { params: IdParams },
  responses: {
    204: { description: "Retired (also when it was already)" },
    ...accessProblems("Not a manager"),
    404: problem("Unknown"),
  },
});
