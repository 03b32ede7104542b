import { z } from "@hono/zod-openapi";
import { DeliveryStatus, PaymentStatus } from "@rentalnang/shared/domain/statuses";
import { CancelReason } from "@rentalnang/shared/events/catalog";
import { confirmationStatusOf, mypageStatuses, paymentStatusOf, statusOf, type Mypage } from "./mypage.ts";

export const MypageStatus = z.enum(mypageStatuses);

/** The view as the API shows it; `present` builds it, so schema and body cannot drift. */
export const MypageResource = z
  .object({
    rentalId: z.number().int(),
    carId: z.string().nullable(),
    rentHour: z.number().int().nullable(),
    price: z.number().int().nullable(),
    customerId: z.string().nullable(),
    /** The reserved window, [startAt, endAt); null until an event names it. */
    startAt: z.string().nullable(),
    endAt: z.string().nullable(),
    status: MypageStatus,
    paymentStatus: PaymentStatus.nullable(),
    confirmationStatus: DeliveryStatus.nullable(),
    cancelReason: CancelReason.nullable(),
    /** The account that cancelled (the customer, or a manager); null when the saga cancelled or nobody was signed in. */
    cancelledBy: z.string().nullable(),
    /** The manager who confirmed; null until confirmed, or when nobody was signed in. */
    confirmedBy: z.string().nullable(),
    paymentId: z.number().int().nullable(),
    deliveryId: z.number().int().nullable(),
    updatedAt: z.string(),
    _links: z.record(z.string(), z.object({ href: z.string() })),
  })
  .openapi("Mypage");
export type MypageResource = z.infer<typeof MypageResource>;

export function present(v: Mypage): MypageResource {
  return {
    rentalId: v.rentalId,
    carId: v.carId,
    rentHour: v.rentHour,
    price: v.price,
    customerId: v.customerId,
    startAt: v.startAt ?? null,
    endAt: v.endAt ?? null,
    status: statusOf(v),
    paymentStatus: paymentStatusOf(v),
    confirmationStatus: confirmationStatusOf(v),
    cancelReason: v.cancelReason,
    cancelledBy: v.cancelledBy ?? null,
    confirmedBy: v.confirmedBy ?? null,
    paymentId: v.paymentId,
    deliveryId: v.deliveryId,
    updatedAt: v.updatedAt,
    _links: {
      self: { href: `/mypages/${v.rentalId}` },
      // A cancelled reservation's rental is deleted (only a declined or unpaid one is kept).
      ...(rentalDeleted(v) ? {} : { rental: { href: `/rentals/${v.rentalId}` } }),
      ...(v.deliveryId ? { delivery: { href: `/deliveries/${v.deliveryId}` } } : {}),
    },
  };
}

/** Cancelling deletes the rental; the saga's own cancellations (declined, unavailable payment) keep it. */
function rentalDeleted(v: Mypage): boolean {
  return v.cancelled && v.cancelReason === "customer";
}
