import { z } from "@hono/zod-openapi";
import { DeliveryStatus } from "@rentalnang/shared/domain/statuses";
import type { Delivery } from "./delivery.ts";

/** The delivery as the API shows it; `present` builds it, so schema and body cannot drift. */
export const DeliveryResource = z
  .object({
    id: z.number().int(),
    rentalId: z.number().int(),
    paymentId: z.number().int(),
    carId: z.string().nullable(),
    rentHour: z.number().int(),
    /** The reserved window, [startAt, endAt); null for a request made before events named it. */
    startAt: z.string().nullable(),
    endAt: z.string().nullable(),
    status: DeliveryStatus,
    createdAt: z.string(),
    updatedAt: z.string(),
    _links: z.record(z.string(), z.object({ href: z.string() })),
  })
  .openapi("Delivery");
export type DeliveryResource = z.infer<typeof DeliveryResource>;

export function present(d: Delivery): DeliveryResource {
  return {
    id: d.id,
    rentalId: d.rentalId,
    paymentId: d.paymentId,
    carId: d.carId,
    rentHour: d.rentHour,
    startAt: d.startAt,
    endAt: d.endAt,
    status: d.status,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    _links: {
      self: { href: `/deliveries/${d.id}` },
      // Only a pending request can still be confirmed: the link is there while that is so.
      ...(d.status === "PendingConfirmation" ? { confirm: { href: `/deliveries/${d.id}/confirm` } } : {}),
      rental: { href: `/rentals/${d.rentalId}` },
    },
  };
}
