import { createRoute, z } from "@hono/zod-openapi";
import { RENT_HOURS } from "@rentalnang/shared/domain/tariff";
import { intLike } from "@rentalnang/shared/http/integers";
import { accessProblems, idParams, jsonBody, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { PageQuery } from "@rentalnang/shared/http/pagination";
import { CarId } from "../cars/car-resource.ts";
import { RentalResource, RentalStatus } from "./rental-resource.ts";

const CustomerId = z.string().min(1).max(128);

export const ReserveBody = z
  .object({
    carId: CarId,
    rentHour: intLike(RENT_HOURS.min, RENT_HOURS.max),
    customerId: CustomerId.nullish(),
    /** The window's start (default: the next full hour); at most 5 minutes past, at most 365 days ahead. */
    startAt: z.iso.datetime({ offset: true }).optional(),
    /** Accepted and ignored: the original's clients send `status=rented`. */
    status: z.unknown().optional(),
  })
  .openapi("ReserveRental");

const IdParams = idParams("id");

export const reserve = createRoute({
  method: "post",
  path: "/rentals",
  summary: "Reserve a car and pay for it (synchronously)",
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
    body: jsonBody(ReserveBody),
  },
  responses: {
    201: jsonContent(RentalResource, "Reserved and paid"),
    400: problem("Bad input"),
    ...accessProblems("Not a customer, or the body's customerId is not the token's subject"),
    402: problem("Payment declined; the rental is kept as Cancelled (payment-declined)"),
    409: problem(
      "The window overlaps a live reservation of the car (the body's conflict has that window's startAt and endAt); " +
        "or a request with the same Idempotency-Key is in progress",
    ),
    422: problem("Unknown or retired car; or the Idempotency-Key was used with another body"),
    503: problem(
      "Payment unavailable: the rental is kept as Cancelled (payment-unavailable), the body has its rentalId; " +
        "or the event bus is full (an outbox backlog over its limit, Redis out of memory): nothing was written or charged",
    ),
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/rentals/{id}",
  summary: "One rental",
  request: { params: IdParams },
  responses: {
    200: jsonContent(RentalResource, "The rental"),
    ...accessProblems("No role that may read rentals"),
    404: problem("Unknown, deleted, or another customer's"),
  },
});

export const list = createRoute({
  method: "get",
  path: "/rentals",
  summary: "Rentals, newest first (order=asc: oldest first): a customer's own only (customerId is then theirs), every one for managers and operators",
  request: { query: z.object({ customerId: optionalQuery(CustomerId), status: optionalQuery(RentalStatus), ...PageQuery }) },
  responses: {
    200: jsonContent(pageOf(RentalResource), "A page of rentals"),
    400: problem("Bad filter, limit, order or cursor (or a cursor issued for the other order)"),
    ...accessProblems("No role that may read rentals"),
  },
});

export const cancel = createRoute({
  method: "delete",
  path: "/rentals/{id}",
  summary: "The customer (or a manager) cancels: the rental is deleted, its payment refunded, its confirmation cancelled",
  request: { params: IdParams },
  responses: {
    204: { description: "Cancelled and deleted" },
    ...accessProblems("Neither a customer nor a manager"),
    404: problem("Unknown, already deleted, or another customer's"),
    409: problem("Not cancellable: payment pending, already cancelled, or its window has started"),
  },
});
