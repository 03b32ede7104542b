import type { Confirmation } from "./confirmation.ts";

export function present(c: Confirmation) {
  return {
    id: c.id,
    rentalId: c.rentalId,
    paymentId: c.paymentId,
    carId: c.carId,
    rentHour: c.rentHour,
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    _links: {
      self: { href: `/deliveries/${c.id}` },
      confirm: { href: `/deliveries/${c.id}/confirm` },
      rental: { href: `/rentals/${c.rentalId}` },
    },
  };
}
