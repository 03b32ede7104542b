import { createRoute, z } from "@hono/zod-openapi";
import { intLike } from "@rentalnang/shared/http/integers";
import { PageQuery, toPage } from "@rentalnang/shared/http/pagination";
import { NotFound } from "@rentalnang/shared/http/problem";
import { newRouter } from "@rentalnang/shared/http/service-app";
import { idParams, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import type { Database } from "@rentalnang/shared/db/database";
import { MAX_RENT_HOURS, MIN_RENT_HOURS } from "./rental.ts";
import { findRental, listRentals } from "./rental-store.ts";
import { present } from "./representation.ts";
import type { Reservations } from "./reservations.ts";

const CarId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1..64 of [A-Za-z0-9._-]");
const CustomerId = z.string().min(1).max(128);
const Status = z.enum(["PaymentPending", "Reserved", "Confirmed", "Cancelled"]);

export const ReserveBody = z
  .object({
    carId: CarId,
    rentHour: intLike(MIN_RENT_HOURS, MAX_RENT_HOURS),
    customerId: CustomerId.nullish(),
    /** Accepted and ignored: the original's clients send `status=rented`. */
    status: z.unknown().optional(),
  })
  .openapi("ReserveRental");

const Rental = z
  .object({
    id: z.number().int(),
    carId: z.string(),
    rentHour: z.number().int(),
    price: z.number().int(),
    customerId: z.string().nullable(),
    status: Status,
    paymentId: z.number().int().nullable(),
    cancelReason: z.enum(["customer", "payment-declined", "payment-unavailable"]).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    _links: z.object({ self: z.object({ href: z.string() }), mypage: z.object({ href: z.string() }) }),
  })
  .openapi("Rental");


const IdParams = idParams("id");

export interface RentalRoutesDeps {
  db: Database;
  reservations: Reservations;
}

export function rentalRoutes({ db, reservations }: RentalRoutesDeps) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: "post",
      path: "/rentals",
      summary: "Reserve a car and pay for it (synchronously)",
      request: {
        headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
        body: { content: { "application/json": { schema: ReserveBody } }, required: true },
      },
      responses: {
        201: { content: { "application/json": { schema: Rental } }, description: "Reserved and paid" },
        400: problem("Bad input"),
        402: problem("Payment declined; the rental is kept as Cancelled (payment-declined)"),
        409: problem("A request with the same Idempotency-Key is in progress"),
        422: problem("The Idempotency-Key was used with another body"),
        503: problem("Payment unavailable; the rental is kept as Cancelled (payment-unavailable)"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const answer = await reservations.reserve(
        { carId: body.carId, rentHour: body.rentHour, customerId: body.customerId ?? null },
        { correlationId: c.get("requestId") },
        key,
      );
      const headers: Record<string, string> =
        answer.status === 201
          ? { Location: `/rentals/${answer.rentalId}`, "Content-Type": "application/json" }
          : { "Content-Type": "application/problem+json" };
      if (answer.status === 503) headers["Retry-After"] = String((answer.body as { retryAfter?: number }).retryAfter ?? 1);
      return c.body(JSON.stringify(answer.body), answer.status, headers) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/rentals/{id}",
      summary: "One rental",
      request: { params: IdParams },
      responses: { 200: { content: { "application/json": { schema: Rental } }, description: "The rental" }, 404: problem("Unknown or deleted") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const rental = await findRental(db, id);
      if (!rental || rental.deletedAt) throw new NotFound(`There is no rental ${id}.`);
      return c.json(present(rental), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/rentals",
      summary: "Rentals, newest first",
      request: { query: z.object({ customerId: optionalQuery(CustomerId), status: optionalQuery(Status), ...PageQuery }) },
      responses: {
        200: {
          content: { "application/json": { schema: pageOf(Rental) } },
          description: "A page of rentals",
        },
        400: problem("Bad filter, limit or cursor"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await listRentals(db, { customerId: q.customerId, status: q.status, before: q.cursor, limit: q.limit });
      return c.json(toPage(rows, q.limit, present), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/rentals/{id}",
      summary: "The customer cancels: the rental is deleted, its payment refunded, its confirmation cancelled",
      request: { params: IdParams },
      responses: {
        204: { description: "Cancelled and deleted" },
        404: problem("Unknown or already deleted"),
        409: problem("Not cancellable in its state (payment pending or already cancelled)"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      await reservations.cancel(id, { correlationId: c.get("requestId") });
      return c.body(null, 204);
    },
  );

  return app;
}
