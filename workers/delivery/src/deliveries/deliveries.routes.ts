import { createRoute, z } from "@hono/zod-openapi";
import { DeliveryStatus } from "@rentalnang/shared/domain/statuses";
import { intLike } from "@rentalnang/shared/http/integers";
import { accessProblems, idParams, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";

const MANAGERS = "Not a manager";
import { PageQuery } from "@rentalnang/shared/http/pagination";
import { DeliveryResource } from "./delivery-resource.ts";

const IdParams = idParams("id");

export const list = createRoute({
  method: "get",
  path: "/deliveries",
  summary: "Confirmation requests, newest first (order=asc: oldest first)",
  request: {
    query: z.object({ status: optionalQuery(DeliveryStatus), rentalId: optionalQuery(intLike(1, Number.MAX_SAFE_INTEGER)), ...PageQuery }),
  },
  responses: {
    200: jsonContent(pageOf(DeliveryResource), "A page"),
    400: problem("Bad filter, limit, order or cursor (or a cursor issued for the other order)"),
    ...accessProblems(MANAGERS),
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/deliveries/{id}",
  request: { params: IdParams },
  responses: { 200: jsonContent(DeliveryResource, "The request"), ...accessProblems(MANAGERS), 404: problem("Unknown") },
});

export const confirm = createRoute({
  method: "post",
  path: "/deliveries/{id}/confirm",
  summary: "The manager confirms (idempotent)",
  request: { params: IdParams },
  responses: {
    200: jsonContent(DeliveryResource, "Confirmed (now or before)"),
    ...accessProblems(MANAGERS),
    404: problem("Unknown"),
    409: problem("The request was cancelled"),
  },
});
