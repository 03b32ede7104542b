import type { MiddlewareHandler } from "hono";
import type { WebSessionEnv } from "./web-session.ts";

/** Whether a path is `prefix` itself or lies under it. */
export const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);

/**
 * For the operators' surfaces that are not our pages (the queue board, served by delivery;
 * the dead letters' API): a request without an Authorization header of its own, from a
 * browser with a web session, goes on with `Authorization: Bearer <the session's access
 * token>`, so the same sign-in opens them and the token check and the upstream judge the
 * session's roles as they judge any token. The token stays between the gateway and the
 * upstreams; the browser never sees it. Unsafe requests got here through csrfProtection.
 */
export function sessionBearer(paths: (path: string) => boolean): MiddlewareHandler<WebSessionEnv> {
  return async function attachSessionBearer(c, next) {
    const session = c.var.webSession;
    if (session && !c.req.header("Authorization") && paths(c.req.path)) {
      c.req.raw.headers.set("Authorization", `Bearer ${session.accessToken}`);
    }
    await next();
  };
}
