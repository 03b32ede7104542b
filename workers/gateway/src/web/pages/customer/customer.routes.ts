/**
 * The customer's pages and the pieces htmx asks for. The paths the views link to and the
 * handlers serve come from here, so they cannot drift apart.
 */
export const customerRoutes = {
  /** The customer's page (signed out: a welcome; other roles: their own page). */
  home: "/",
  /** Price and free cars for the form's car, start and hours (htmx, on each change). */
  quote: "/ui/quote",
  /** POST: reserve (the form; htmx gets the new reservation, a plain form a redirect). */
  reserve: "/reservations",
  /** One reservation's status, answered when it changes (chained long poll). */
  status: "/ui/reservations/:id/status",
  /** GET: the confirmation step without JavaScript; POST: cancel. */
  cancel: "/reservations/:id/cancel",
  /** The reservation's events as a vertical timeline (a fragment for htmx, else a page). */
  timeline: "/reservations/:id/timeline",
} as const;

export const statusPath = (id: number, etag?: string | null) =>
  `/ui/reservations/${id}/status${etag ? `?${new URLSearchParams({ etag })}` : ""}`;
export const cancelPath = (id: number) => `/reservations/${id}/cancel`;
export const timelinePath = (id: number) => `/reservations/${id}/timeline`;
