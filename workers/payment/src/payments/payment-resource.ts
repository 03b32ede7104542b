import { z } from "@hono/zod-openapi";
import { PaymentStatus } from "@rentalnang/shared/domain/statuses";
import type { Payment } from "./payment.ts";

/** The payment as the API shows it; `present` builds it, so schema and body cannot drift. */
export const PaymentResource = z
  .object({
    id: z.number().int(),
    rentalId: z.number().int(),
    amount: z.number().int(),
    rentHour: z.number().int(),
    carId: z.string().nullable(),
    customerId: z.string().nullable(),
    startAt: z.string().nullable(),
    endAt: z.string().nullable(),
    status: PaymentStatus,
    createdAt: z.string(),
    updatedAt: z.string(),
    _links: z.object({ self: z.object({ href: z.string() }), rental: z.object({ href: z.string() }) }),
  })
  .openapi("Payment");
export type PaymentResource = z.infer<typeof PaymentResource>;

export function present(p: Payment): PaymentResource {
  return {
    id: p.id,
    rentalId: p.rentalId,
    amount: p.amount,
    rentHour: p.rentHour,
    carId: p.carId,
    customerId: p.customerId,
    startAt: p.startAt,
    endAt: p.endAt,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    _links: { self: { href: `/payments/${p.id}` }, rental: { href: `/rentals/${p.rentalId}` } },
  };
}
