/** The operator's page and its buttons (htmx gets the row's outcome, a plain form a redirect back). */
export const operatorRoutes = {
  /** The board's link and every consumer group's dead letters. */
  page: "/operator",
  /** POST: put a dead letter back on its stream. */
  redrive: "/operator/dead-letters/:group/:id/redrive",
  /** POST: drop a dead letter for good. */
  drop: "/operator/dead-letters/:group/:id/delete",
} as const;

const letterPath = (group: string, id: string) => `/operator/dead-letters/${encodeURIComponent(group)}/${encodeURIComponent(id)}`;
export const redrivePath = (group: string, id: string) => `${letterPath(group, id)}/redrive`;
export const dropPath = (group: string, id: string) => `${letterPath(group, id)}/delete`;

/** The queue board (delivery's, through the gateway), which takes the same sign-in. */
export const BOARD_PATH = "/admin/queues";
