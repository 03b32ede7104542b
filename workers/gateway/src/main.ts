import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { cachedCheck } from "@rentalnang/shared/http/cached-check";
import { Health } from "@rentalnang/shared/http/health";
import { serve } from "@rentalnang/shared/http/serve";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { onShutdown } from "@rentalnang/shared/lifecycle/shutdown";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { READINESS_CACHE_MS, upstreamReadiness } from "./edge/upstream-readiness.ts";
import { createRateLimiter } from "./rate-limit/rate-limiter.ts";
import { upstreamPools } from "./routing/upstreams.ts";
import { identityClient } from "./web/auth/identity-client.ts";
import { redisPendingSignIns } from "./web/auth/pending-sign-ins.ts";
import { redisSessionStore } from "./web/session/session-store.ts";

const config = configOrExit(() => readConfig());
const logger = createLogger("gateway", config.LOG_LEVEL);
const upstreams = upstreamPools({
  rental: config.RENTAL_URL,
  payment: config.PAYMENT_URL,
  delivery: config.DELIVERY_URL,
  mypage: config.MYPAGE_URL,
});

// Upstreams are reported, not required: reservations must keep flowing while delivery or
// mypage is down, so the gateway stays in rotation as long as it can answer at all.
const health = new Health();
for (const [name, pool] of Object.entries(upstreams)) {
  health.add(name, upstreamReadiness(pool.urls), { informational: true });
}

// Web sessions and the rate limits are kept in Redis, shared by the replicas. Without it the
// API still answers (each gateway counts alone, see createRateLimiter) while signing in to
// the pages waits for it, so Redis is reported, not required, either.
const redis = connectRedis(config.REDIS_URL, "command", "gateway");
const rateLimiter = config.RATE_LIMIT_PER_SECOND > 0 ? createRateLimiter({ redis, perSecond: config.RATE_LIMIT_PER_SECOND, prefix: config.STREAM_PREFIX }) : undefined;
health.add("redis", cachedCheck(async () => void (await redis.ping()), READINESS_CACHE_MS), { informational: true });

const auth = authenticationFrom(config);
const web = {
  identity: identityClient({
    issuer: config.OIDC_ISSUER, jwksUrl: config.OIDC_JWKS_URL, clientId: config.OIDC_CLIENT_ID, clientSecret: config.OIDC_CLIENT_SECRET, publicUrl: config.PUBLIC_URL,
  }),
  pending: redisPendingSignIns(redis, config.STREAM_PREFIX),
  sessions: redisSessionStore(redis, config.STREAM_PREFIX),
  // A web session is a signed-in person's, whose token is checked even in the lab mode.
  verifier: (config.AUTH === "off" ? authenticationFrom({ ...config, AUTH: "on" }) : auth).verifier,
};
const app = createApp({
  upstreams, timeoutMs: config.UPSTREAM_TIMEOUT_MS, health, logger, metrics: new Metrics("gateway"), auth,
  rateLimiter, trustProxy: config.TRUST_PROXY === "on", publicUrl: config.PUBLIC_URL, web,
});
const http = serve(app.fetch, config.PORT, logger);
health.markReady();
onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: "readiness", run: () => health.markDraining() },
  { name: "readiness-drain", run: () => Bun.sleep(config.READINESS_DRAIN_MS) },
  { name: "http", run: () => http.drain(config.SHUTDOWN_TIMEOUT_MS / 2) },
  { name: "redis", run: () => redis.quit().catch(() => redis.disconnect()) },
]);
