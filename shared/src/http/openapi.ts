import { z } from "@hono/zod-openapi";
import { idParam } from "./integers.ts";

/** Pieces every worker's OpenAPI description shares. */

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .passthrough()
  .openapi("Problem");

/** A problem+json response for `createRoute({ responses })`. */
export const problem = (description: string) => ({
  content: { "application/problem+json": { schema: Problem } },
  description,
});

/**
 * The answers of a route behind `authenticate`: no valid token, or a role that may not.
 * `forbidden` says who may, as the route's description.
 */
export const accessProblems = (forbidden: string) => ({
  401: problem("No valid access token (header WWW-Authenticate: Bearer says why)"),
  403: problem(forbidden),
});

/** A JSON response for `createRoute({ responses })`. */
export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** A required JSON request body for `createRoute({ request: { body } })`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

/** `{name}` as a positive integer path parameter. */
export const idParams = <N extends string>(name: N) =>
  z.object({ [name]: idParam.openapi({ param: { name, in: "path" }, type: "integer" }) } as Record<N, typeof idParam>);

/** `{ items, nextCursor }` of a list endpoint. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/**
 * An optional query parameter where an empty value (`?status=`) means "not given", as
 * clients that fill a query template with blanks expect.
 */
export const optionalQuery = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional()) as unknown as z.ZodOptional<T>;
