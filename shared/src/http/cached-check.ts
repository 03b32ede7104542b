import type { Check } from "./health.ts";

/**
 * A readiness check answered from its last result for `ms`: a public /readyz then costs the
 * dependency at most one call per period, however often it is asked, and concurrent asks
 * share the call in flight. A failure is kept as long as a success.
 */
export function cachedCheck(check: Check, ms: number, now: () => number = Date.now): Check {
  let last: { at: number; result: ReturnType<Check> } | undefined;
  return () => {
    if (!last || now() - last.at >= ms) {
      const result = check();
      result.catch(() => {});
      last = { at: now(), result };
    }
    return last.result;
  };
}
