import type { MiddlewareHandler } from "hono";
import { withLogContext } from "../log/context.ts";

/** Puts the request id (from hono's requestId, which runs first) on every log line of the request. */
export function requestLogContext(): MiddlewareHandler {
  return function logContext(c, next) {
    return withLogContext({ requestId: c.get("requestId") }, next);
  };
}
