import { z } from "@hono/zod-openapi";
import type { Car } from "./car.ts";

/** A car's id, as a reservation's carId names it. */
export const CarId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1..64 of [A-Za-z0-9._-]");

/** The car as the API shows it; `present` builds it, so schema and body cannot drift. */
export const CarResource = z
  .object({
    id: z.string(),
    model: z.string(),
    ratePerHour: z.number().int(),
    retired: z.boolean(),
    retiredAt: z.string().nullable(),
    createdAt: z.string(),
    _links: z.object({ self: z.object({ href: z.string() }) }),
  })
  .openapi("Car");
export type CarResource = z.infer<typeof CarResource>;

export function present(c: Car): CarResource {
  return {
    id: c.id,
    model: c.model,
    ratePerHour: c.ratePerHour,
    retired: c.retiredAt !== null,
    retiredAt: c.retiredAt,
    createdAt: c.createdAt,
    _links: { self: { href: `/cars/${c.id}` } },
  };
}
