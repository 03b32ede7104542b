import { createRoute, z } from "@hono/zod-openapi";
import { accessProblems, idParams, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { PageQuery } from "@rentalnang/shared/http/pagination";
import { MypageResource, MypageStatus } from "./mypage-resource.ts";
import { Timeline } from "./timeline.ts";

const waitHeaders = z.object({
  prefer: z.string().optional().openapi({
    description: "`wait=N` (seconds, at most 5): wait up to N s for the row to exist, and with If-None-Match for it to change",
    example: "wait=5",
  }),
  "if-none-match": z.string().optional().openapi({ description: "The ETag last seen: 304 if the row still has it" }),
});

export const getOne = createRoute({
  method: "get",
  path: "/mypages/{rentalId}",
  summary: "The customer's view of one rental (eventually consistent)",
  description:
    "Sends an ETag. With `Prefer: wait=N` (seconds, clamped to 5 and said so in `Preference-Applied`) it waits up to N s " +
    "for the row to exist instead of answering 404 at once, and with `If-None-Match` for the row to change " +
    "(304 when it did not): a client reads its own write and follows a reservation live without polling.",
  request: { params: idParams("rentalId"), headers: waitHeaders },
  responses: {
    200: { ...jsonContent(MypageResource, "The view"), headers: z.object({ ETag: z.string() }) },
    304: { description: "The row still has the ETag of If-None-Match (after the wait, if one was asked)" },
    ...accessProblems("No role that may read mypage rows"),
    404: problem("No event about this rental has arrived yet, or it is another customer's"),
  },
});

export const list = createRoute({
  method: "get",
  path: "/mypages",
  summary: "Views, newest rental first (order=asc: oldest first): a customer's own only (customerId is then theirs), every one for managers and operators",
  request: {
    query: z.object({
      customerId: optionalQuery(z.string().max(128)),
      status: optionalQuery(MypageStatus),
      ...PageQuery,
    }),
  },
  responses: {
    200: jsonContent(pageOf(MypageResource), "A page"),
    400: problem("Bad filter, limit, order or cursor (or a cursor issued for the other order)"),
    ...accessProblems("No role that may read mypage rows"),
  },
});

export const timeline = createRoute({
  method: "get",
  path: "/mypages/{rentalId}/timeline",
  summary: "Every event of one reservation across the services, in the order they happened (an event after its cause)",
  request: { params: idParams("rentalId") },
  responses: {
    200: jsonContent(Timeline, "The timeline"),
    ...accessProblems("No role that may read mypage rows"),
    404: problem("No event about this rental has arrived yet, or it is another customer's"),
  },
});
