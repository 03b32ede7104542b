import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log/logger.ts";

export interface AccessLogOptions {
  logger: Logger;
  /** Paths not logged: probes would drown everything else. */
  skip?: string[];
}

/** One JSON line per request (its request id comes with the log context). */
export function accessLog({ logger, skip = ["/healthz", "/readyz"] }: AccessLogOptions): MiddlewareHandler {
  return async function logRequest(c, next) {
    const started = performance.now();
    await next();
    if (skip.includes(c.req.path)) return;
    logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  };
}
