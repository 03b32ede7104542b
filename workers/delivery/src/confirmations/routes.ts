import { createRoute, z } from "@hono/zod-openapi";
import type { Database } from "@rentalnang/shared/db/database";
import { intLike } from "@rentalnang/shared/http/integers";
import { PageQuery, toPage } from "@rentalnang/shared/http/pagination";
import { NotFound } from "@rentalnang/shared/http/problem";
import { newRouter } from "@rentalnang/shared/http/service-app";
import { idParams, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { findById, listConfirmations } from "./confirmation-store.ts";
import type { Confirmations } from "./confirmations.ts";
import { present } from "./representation.ts";

const Status = z.enum(["PendingConfirmation", "Confirmed", "Cancelled"]);
const Delivery = z
  .object({
    id: z.number().int(),
    rentalId: z.number().int(),
    paymentId: z.number().int(),
    carId: z.string().nullable(),
    rentHour: z.number().int(),
    status: Status,
    createdAt: z.string(),
    updatedAt: z.string(),
    _links: z.record(z.string(), z.object({ href: z.string() })),
  })
  .openapi("Delivery");
const IdParams = idParams("id");

export function deliveryRoutes({ db, confirmations }: { db: Database; confirmations: Confirmations }) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries",
      summary: "Confirmation requests, newest first",
      request: { query: z.object({ status: optionalQuery(Status), rentalId: optionalQuery(intLike(1, Number.MAX_SAFE_INTEGER)), ...PageQuery }) },
      responses: {
        200: { content: { "application/json": { schema: pageOf(Delivery) } }, description: "A page" },
        400: problem("Bad filter"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await listConfirmations(db, { status: q.status, rentalId: q.rentalId, before: q.cursor, limit: q.limit });
      return c.json(toPage(rows, q.limit, present), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/{id}",
      request: { params: IdParams },
      responses: { 200: { content: { "application/json": { schema: Delivery } }, description: "The request" }, 404: problem("Unknown") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const found = await findById(db, id);
      if (!found) throw new NotFound(`There is no confirmation request ${id}.`);
      return c.json(present(found), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/deliveries/{id}/confirm",
      summary: "The manager confirms (idempotent)",
      request: { params: IdParams },
      responses: {
        200: { content: { "application/json": { schema: Delivery } }, description: "Confirmed (now or before)" },
        404: problem("Unknown"),
        409: problem("The request was cancelled"),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const confirmed = await confirmations.confirm(id, { correlationId: c.get("requestId") });
      return c.json(present(confirmed), 200);
    },
  );

  return app;
}
