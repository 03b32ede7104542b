/** The manager's page and its forms (each answers htmx with a piece of the page, a plain form with a redirect back). */
export const managerRoutes = {
  /** Pending confirmations oldest first, "Confirm", recent requests, the fleet. */
  page: "/manager",
  /** POST: confirm a delivery (the manager's confirmation request). */
  confirm: "/manager/deliveries/:id/confirm",
  /** POST: add a car. */
  addCar: "/manager/cars",
  /** POST: retire a car. */
  retire: "/manager/cars/:id/retire",
} as const;

export const confirmPath = (id: number) => `/manager/deliveries/${id}/confirm`;
export const retirePath = (id: string) => `/manager/cars/${encodeURIComponent(id)}/retire`;
