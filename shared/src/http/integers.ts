import { z } from "@hono/zod-openapi";

/**
 * An integer that may arrive as a string of decimal digits (`"3"`): httpie's `rentHour='3'`
 * and query strings send strings, and the API accepts both.
 */
export const intLike = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d{1,15}$/).transform(Number)], {
      error: (issue) => (issue.input === undefined ? "required" : "must be an integer"),
    })
    .pipe(
      z
        .number()
        .int("must be an integer")
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

/** A positive id in a path (`/rentals/{id}`). */
export const idParam = z.string().regex(/^[1-9]\d{0,15}$/, "must be a positive integer").transform(Number);
