import { createRoute, z } from "@hono/zod-openapi";
import type { Database } from "@rentalnang/shared/db/database";
import { PageQuery, toPage } from "@rentalnang/shared/http/pagination";
import { NotFound } from "@rentalnang/shared/http/problem";
import { newRouter } from "@rentalnang/shared/http/service-app";
import { idParams, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { present } from "./mypage.ts";
import { findView, listViews } from "./mypage-store.ts";

const Mypage = z
  .object({
    rentalId: z.number().int(),
    carId: z.string().nullable(),
    rentHour: z.number().int().nullable(),
    price: z.number().int().nullable(),
    customerId: z.string().nullable(),
    status: z.enum(["Reserved", "AwaitingConfirmation", "Confirmed", "Cancelled"]),
    paymentStatus: z.enum(["Approved", "Refunded", "Declined"]).nullable(),
    confirmationStatus: z.enum(["PendingConfirmation", "Confirmed", "Cancelled"]).nullable(),
    cancelReason: z.enum(["customer", "payment-declined", "payment-unavailable"]).nullable(),
    paymentId: z.number().int().nullable(),
    deliveryId: z.number().int().nullable(),
    updatedAt: z.string(),
    _links: z.record(z.string(), z.object({ href: z.string() })),
  })
  .openapi("Mypage");

export function mypageRoutes({ db }: { db: Database }) {
  const app = newRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/mypages/{rentalId}",
      summary: "The customer's view of one rental (eventually consistent)",
      request: { params: idParams("rentalId") },
      responses: {
        200: { content: { "application/json": { schema: Mypage } }, description: "The view" },
        404: problem("No event about this rental has arrived yet"),
      },
    }),
    async (c) => {
      const { rentalId } = c.req.valid("param");
      const view = await findView(db, rentalId);
      if (!view) throw new NotFound(`Nothing is known about rental ${rentalId} yet.`);
      return c.json(present(view), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/mypages",
      summary: "Views, newest rental first",
      request: {
        query: z.object({
          customerId: optionalQuery(z.string().max(128)),
          status: optionalQuery(z.enum(["Reserved", "AwaitingConfirmation", "Confirmed", "Cancelled"])),
          ...PageQuery,
        }),
      },
      responses: {
        200: { content: { "application/json": { schema: pageOf(Mypage) } }, description: "A page" },
        400: problem("Bad filter"),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await listViews(db, { customerId: q.customerId, status: q.status, before: q.cursor, limit: q.limit });
      return c.json(toPage(rows, q.limit, (r) => present(r.facts)), 200);
    },
  );

  return app;
}
