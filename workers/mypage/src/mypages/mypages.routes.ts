import { createRoute, z } from "@hono/zod-openapi";
import { accessProblems, idParams, jsonContent, optionalQuery, pageOf, problem } from "@rentalnang/shared/http/openapi";
import { PageQuery } from "@rentalnang/shared/http/pagination";
import { MypageResource, MypageStatus } from "./mypage-resource.ts";

export const getOne = createRoute({
  method: "get",
  path: "/mypages/{rentalId}",
  summary: "The customer's view of one rental (eventually consistent)",
  request: { params: idParams("rentalId") },
  responses: {
    200: jsonContent(MypageResource, "The view"),
    ...accessProblems("No role that may read mypage rows"),
    404: problem("No event about this rental has arrived yet, or it is another customer's"),
  },
});

export const list = createRoute({
  method: "get",
  path: "/mypages",
  summary: "Views, newest rental first: a customer's own only (customerId is then theirs), every one for managers and operators",
  request: {
    query: z.object({
      customerId: optionalQuery(z.string().max(128)),
      status: optionalQuery(MypageStatus),
      ...PageQuery,
    }),
  },
  responses: {
    200: jsonContent(pageOf(MypageResource), "A page"),
    400: problem("Bad filter"),
    ...accessProblems("No role that may read mypage rows"),
  },
});
