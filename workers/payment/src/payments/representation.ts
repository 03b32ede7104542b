import type { Payment } from "./payment.ts";

export function present(p: Payment) {
  return {
    id: p.id,
    rentalId: p.rentalId,
    amount: p.amount,
    rentHour: p.rentHour,
    carId: p.carId,
    customerId: p.customerId,
    status: p.status,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    _links: { self: { href: `/payments/${p.id}` }, rental: { href: `/rentals/${p.rentalId}` } },
  };
}
