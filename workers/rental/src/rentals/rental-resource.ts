import { z } from "@hono/zod-openapi";
import { CancelReason } from "@rentalnang/shared/events/catalog";
import { rentalStatuses, type Rental } from "./rental.ts";

export const RentalStatus = z.enum(rentalStatuses);

/** The rental as the API shows it; `present` builds it, so schema and body cannot drift. */
export const RentalResource = z
  .object({
    id: z.number().int(),
    carId: z.string(),
    rentHour: z.number().int(),
    price: z.number().int(),
    customerId: z.string().nullable(),
    startAt: z.string(),
    endAt: z.string(),
    status: RentalStatus,
    paymentId: z.number().int().nullable(),
    cancelReason: CancelReason.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    _links: z.object({ self: z.object({ href: z.string() }), mypage: z.object({ href: z.string() }) }),
  })
  .openapi("Rental");
export type RentalResource = z.infer<typeof RentalResource>;

export function present(r: Rental): RentalResource {
  return {
    id: r.id,
    carId: r.carId,
    rentHour: r.rentHour,
    price: r.price,
    customerId: r.customerId,
    startAt: r.startAt,
    endAt: r.endAt,
    status: r.status,
    paymentId: r.paymentId,
    cancelReason: r.cancelReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    _links: { self: { href: `/rentals/${r.id}` }, mypage: { href: `/mypages/${r.id}` } },
  };
}
