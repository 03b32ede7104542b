import type { Context } from "hono";
import { proxy } from "hono/proxy";
import { problemJson } from "@rentalnang/shared/http/problem";
import { forwardedHeaders } from "./forwarded-headers.ts";
import { routeFor } from "./routes.ts";
import type { UpstreamOptions } from "./upstreams.ts";

/**
 * Forwards a request to its owner with the request id, and turns an unreachable or silent
 * upstream into a problem (502 / 504) instead of a hang or a bare error.
 */
export function forward({ upstreams, timeoutMs, logger }: UpstreamOptions) {
  return async function forwardToUpstream(c: Context) {
    const requestId: string = c.get("requestId");
    const route = routeFor(c.req.path);
    if (!route) return problemJson(404, "Not Found", `No route for ${c.req.method} ${c.req.path}.`, {}, { "X-Request-Id": requestId });
    if (!route.methods.includes(c.req.method)) {
      return problemJson(405, "Method Not Allowed", `${c.req.method} is not allowed on ${route.prefix} through the gateway.`, {}, {
        Allow: route.methods.join(", "),
        "X-Request-Id": requestId,
      });
    }
    // Only the path and query come from the client: scheme, host and port are the upstream's.
    const incoming = new URL(c.req.url);
    const pool = upstreams[route.upstream];
    // A body read once can be sent twice (the second replica after a refused connection).
    const body = pool.urls.length > 1 && c.req.raw.body ? await c.req.arrayBuffer() : undefined;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await pool.attempt((base) =>
        proxy(new URL(`${incoming.pathname}${incoming.search}`, base), {
          raw: c.req.raw,
          ...(body ? { body } : {}),
          headers: forwardedHeaders(c, requestId),
          signal,
        }),
      );
      res.headers.set("X-Request-Id", requestId);
      return res;
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      logger.warn({ upstream: route.upstream, err: error }, "upstream failed");
      return timedOut
        ? problemJson(504, "Gateway Timeout", `${route.upstream} did not answer within ${timeoutMs} ms.`, { upstream: route.upstream }, { "X-Request-Id": requestId })
        : problemJson(502, "Bad Gateway", `${route.upstream} is unreachable; try again shortly.`, { upstream: route.upstream }, {
            "X-Request-Id": requestId,
            "Retry-After": "1",
          });
    }
  };
}
