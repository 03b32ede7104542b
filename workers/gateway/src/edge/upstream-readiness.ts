import { cachedCheck } from "@rentalnang/shared/http/cached-check";
import type { Check } from "@rentalnang/shared/http/health";

const UPSTREAM_CHECK_TIMEOUT_MS = 800;
/** How long one round of upstream checks answers the public /readyz. */
export const READINESS_CACHE_MS = 2_000;

/**
 * An upstream is ready while one of its replicas is. /readyz is public, so the details count
 * the replicas and never name them (their URLs are the cluster's inside); the checks run at
 * most once per READINESS_CACHE_MS, not once per caller.
 */
export function upstreamReadiness(urls: readonly string[], cacheMs = READINESS_CACHE_MS): Check {
  return cachedCheck(async () => {
    const states = await Promise.all(urls.map(async (url) => {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(UPSTREAM_CHECK_TIMEOUT_MS) }).catch(() => undefined);
      return res?.ok === true;
    }));
    const ready = states.filter(Boolean).length;
    if (ready === 0) throw new Error(urls.length === 1 ? "not ready" : `none of ${urls.length} replicas ready`);
    return urls.length === 1 ? {} : { replicasReady: `${ready}/${urls.length}` };
  }, cacheMs);
}
