import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { Health } from "@rentalnang/shared/http/health";
import { serve } from "@rentalnang/shared/http/serve";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { onShutdown } from "@rentalnang/shared/lifecycle/shutdown";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import type { Upstream } from "./routing/routes.ts";

const UPSTREAM_CHECK_TIMEOUT_MS = 800;

const config = configOrExit(() => readConfig());
const logger = createLogger("gateway", config.LOG_LEVEL);
const upstreams: Record<Upstream, readonly string[]> = {
  rental: config.RENTAL_URL,
  payment: config.PAYMENT_URL,
  delivery: config.DELIVERY_URL,
  mypage: config.MYPAGE_URL,
};

// Upstreams are reported, not required: reservations must keep flowing while delivery or
// mypage is down, so the gateway stays in rotation as long as it can answer at all.
const health = new Health();
for (const [name, urls] of Object.entries(upstreams)) {
  health.add(name, () => upstreamReadiness(urls), { informational: true });
}

/** An upstream is ready while one of its replicas is; the details name each replica's state. */
async function upstreamReadiness(urls: readonly string[]) {
  const states = await Promise.all(urls.map(async (url) => {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(UPSTREAM_CHECK_TIMEOUT_MS) }).catch((e: Error) => e);
    return [url, res instanceof Error ? res.message : res.ok ? "ready" : `not ready (${res.status})`] as const;
  }));
  if (!states.some(([, state]) => state === "ready")) throw new Error(states.map(([url, state]) => `${url}: ${state}`).join("; "));
  return urls.length === 1 ? { url: urls[0] } : { replicas: Object.fromEntries(states) };
}

const app = createApp({ upstreams, timeoutMs: config.UPSTREAM_TIMEOUT_MS, health, logger, metrics: new Metrics("gateway"), auth: authenticationFrom(config) });
const http = serve(app.fetch, config.PORT, logger);
health.markReady();
onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: "readiness", run: () => health.markDraining() },
  { name: "readiness-drain", run: () => Bun.sleep(config.READINESS_DRAIN_MS) },
  { name: "http", run: () => http.drain(config.SHUTDOWN_TIMEOUT_MS / 2) },
]);
