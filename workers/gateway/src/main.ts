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
const upstreams: Record<Upstream, string> = {
  rental: config.RENTAL_URL,
  payment: config.PAYMENT_URL,
  delivery: config.DELIVERY_URL,
  mypage: config.MYPAGE_URL,
};

// Upstreams are reported, not required: reservations must keep flowing while delivery or
// mypage is down, so the gateway stays in rotation as long as it can answer at all.
const health = new Health();
for (const [name, url] of Object.entries(upstreams)) {
  health.add(
    name,
    async () => {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(UPSTREAM_CHECK_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`${url} is not ready (${res.status})`);
      return { url };
    },
    { informational: true },
  );
}

const app = createApp({ upstreams, timeoutMs: config.UPSTREAM_TIMEOUT_MS, health, logger, metrics: new Metrics("gateway") });
const http = serve(app.fetch, config.PORT, logger);
health.markReady();
onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: "readiness", run: () => health.markDraining() },
  { name: "readiness-drain", run: () => Bun.sleep(config.READINESS_DRAIN_MS) },
  { name: "http", run: () => http.drain(config.SHUTDOWN_TIMEOUT_MS / 2) },
]);
