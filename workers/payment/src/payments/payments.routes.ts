import { createRoute, z } from "@hono/zod-openapi";
import { RENT_HOURS } from "@rentalnang/shared/domain/tariff";
import { intLike } from "@rentalnang/shared/http/integers";
import { idParams, jsonBody, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { PageQuery } from "@rentalnang/shared/http/pagination";
import { PaymentResource } from "./payment-resource.ts";

const MAX_AMOUNT = 1_000_000_000;
const RentalId = intLike(1, Number.MAX_SAFE_INTEGER);

export const ChargeBody = z
  .object({
    rentalId: RentalId,
    rentHour: intLike(RENT_HOURS.min, RENT_HOURS.max),
    /** Defaults to rentHour × RATE_PER_HOUR. */
    amount: intLike(0, MAX_AMOUNT).optional(),
    /** Carried to the manager's confirmation request. */
    carId: z.string().max(64).nullish(),
    customerId: z.string().max(128).nullish(),
  })
  .openapi("Charge");

export const charge = createRoute({
  method: "post",
  path: "/payments",
  summary: "Charge a rental (service to service); idempotent per rentalId",
  request: { body: jsonBody(ChargeBody) },
  responses: {
    201: jsonContent(PaymentResource, "Approved"),
    200: jsonContent(PaymentResource, "Already approved (a repeat)"),
    400: problem("Bad input"),
    402: problem("Declined (amount over PAYMENT_LIMIT)"),
    409: problem("The rental was cancelled before it was charged"),
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/payments/{id}",
  request: { params: idParams("id") },
  responses: { 200: jsonContent(PaymentResource, "The payment"), 404: problem("Unknown") },
});

export const list = createRoute({
  method: "get",
  path: "/payments",
  request: { query: z.object({ rentalId: optionalQuery(RentalId), ...PageQuery }) },
  responses: {
    200: jsonContent(pageOf(PaymentResource), "A page of payments, newest first"),
    400: problem("Bad filter"),
  },
});
