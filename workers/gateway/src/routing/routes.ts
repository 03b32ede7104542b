/**
 * What the gateway sends where. The gateway owns nothing: it routes by path prefix,
 * and refuses methods an upstream does not offer through it (payments are read-only here:
 * charging is rental's call, service to service).
 */
export type Upstream = "rental" | "payment" | "delivery" | "mypage";

export interface Route {
  prefix: string;
  upstream: Upstream;
  methods: string[];
}

const READ = ["GET", "HEAD"];

export const ROUTES: Route[] = [
  { prefix: "/rentals", upstream: "rental", methods: [...READ, "POST", "DELETE"] },
  { prefix: "/cars", upstream: "rental", methods: [...READ, "POST", "DELETE"] },
  { prefix: "/payments", upstream: "payment", methods: READ },
  { prefix: "/deliveries", upstream: "delivery", methods: [...READ, "POST"] },
  { prefix: "/admin/queues", upstream: "delivery", methods: [...READ, "POST", "PUT", "PATCH", "DELETE"] },
  { prefix: "/mypages", upstream: "mypage", methods: READ },
];

/** The route a path belongs to: the prefix itself or anything under it. */
export function routeFor(path: string): Route | undefined {
  return ROUTES.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
}
