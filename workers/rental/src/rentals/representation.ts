import type { Rental } from "./rental.ts";

/** The rental as the API shows it (docs/openapi.json, rental's `Rental`). */
export function present(r: Rental) {
  return {
    id: r.id,
    carId: r.carId,
    rentHour: r.rentHour,
    price: r.price,
    customerId: r.customerId,
    status: r.status,
    paymentId: r.paymentId,
    cancelReason: r.cancelReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    _links: { self: { href: `/rentals/${r.id}` }, mypage: { href: `/mypages/${r.id}` } },
  };
}
export type RentalResource = ReturnType<typeof present>;
