import type { Context, MiddlewareHandler } from "hono";
import { RateLimiterRes } from "rate-limiter-flexible";
import { problemJson } from "@rentalnang/shared/http/problem";
import type { RateLimiter } from "./rate-limiter.ts";

/**
 * Answers a client over its budget with a 429 problem and Retry-After (whole seconds until
 * its window ends, at least 1); every other request goes on. `clientOf` names the client.
 */
export function rateLimit(limiter: RateLimiter, clientOf: (c: Context) => Promise<string>): MiddlewareHandler {
  return async function limitRate(c, next) {
    try {
      await limiter.consume(await clientOf(c));
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      return problemJson(429, "Too Many Requests", `Over ${limiter.perSecond} requests per second; try again in ${seconds} s.`, {}, {
        "Retry-After": String(seconds),
        "X-Request-Id": c.get("requestId"),
      });
    }
    await next();
  };
}
