import { createRoute, z } from "@hono/zod-openapi";
import { RENT_HOURS } from "@rentalnang/shared/domain/tariff";
import { intLike } from "@rentalnang/shared/http/integers";
import { accessProblems, idParams, jsonBody, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { PageQuery } from "@rentalnang/shared/http/pagination";
import { PaymentResource } from "./payment-resource.ts";

const MAX_AMOUNT = 1_000_000_000;
const RentalId = intLike(1, Number.MAX_SAFE_INTEGER);
const Instant = z.iso.datetime({ offset: true });

export const ChargeBody = z
  .object({
    rentalId: RentalId,
    rentHour: intLike(RENT_HOURS.min, RENT_HOURS.max),
    /** Defaults to rentHour × RATE_PER_HOUR in lab mode; required from a caller with a token. */
    amount: intLike(0, MAX_AMOUNT).optional(),
    /** The window the charge pays for, [startAt, endAt); required from a caller with a token. */
    startAt: Instant.optional(),
    endAt: Instant.optional(),
    /** Carried to the manager's confirmation request. */
    carId: z.string().max(64).nullish(),
    customerId: z.string().max(128).nullish(),
  })
  .openapi("Charge");

export const charge = createRoute({
  method: "post",
  path: "/payments",
  summary: "Charge a rental (service to service: only the clients in PAYMENT_CALLERS); idempotent per rentalId",
  request: { body: jsonBody(ChargeBody) },
  responses: {
    201: jsonContent(PaymentResource, "Approved"),
    200: jsonContent(PaymentResource, "Already approved (a repeat)"),
    400: problem("Bad input (amount, startAt and endAt are required with a token)"),
    ...accessProblems("Not a client in PAYMENT_CALLERS (people, customers included, never charge)"),
    402: problem("Declined (amount over PAYMENT_LIMIT)"),
    409: problem("The rental was cancelled before it was charged"),
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/payments/{id}",
  request: { params: idParams("id") },
  responses: {
    200: jsonContent(PaymentResource, "The payment"),
    ...accessProblems("No role that may read payments"),
    404: problem("Unknown, or another customer's"),
  },
});

export const list = createRoute({
  method: "get",
  path: "/payments",
  request: { query: z.object({ rentalId: optionalQuery(RentalId), ...PageQuery }) },
  responses: {
    200: jsonContent(pageOf(PaymentResource), "A page of payments, newest first (order=asc: oldest first): a customer's own only, every one for managers and operators"),
    400: problem("Bad filter, limit, order or cursor (or a cursor issued for the other order)"),
    ...accessProblems("No role that may read payments"),
  },
});
