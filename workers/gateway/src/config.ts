import { z } from "zod";
import {
  authFields, authRules, drainRules, httpUrls, logLevel, nodeEnv, port, positiveInt, readinessDrainMs, redisUrl, shutdownTimeoutMs,
  publicUrl, streamPrefix, trustProxy, withRules,
} from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { localUrl, portOf } from "@rentalnang/shared/topology/topology";

/** gateway's environment; the keys are the variable names (README.md, 'Configuration'). */
export const Env = withRules(z.object({
  PORT: port(portOf("gateway")),
  /** Each upstream: one URL (a Service), or its replicas separated by commas, asked in turn. */
  RENTAL_URL: httpUrls(localUrl("rental")),
  PAYMENT_URL: httpUrls(localUrl("payment")),
  DELIVERY_URL: httpUrls(localUrl("delivery")),
  MYPAGE_URL: httpUrls(localUrl("mypage")),
  /** Longest wait for an upstream's answer before the gateway answers 504. */
  UPSTREAM_TIMEOUT_MS: positiveInt(10_000),
  /**
   * Requests per second per client (a valid token's subject, else its address), counted in
   * Redis so every gateway replica shares them; 0 = no limit.
   */
  RATE_LIMIT_PER_SECOND: z.coerce.number({ error: "must be a number" }).int("must be an integer").nonnegative("must be 0 or more").default(100),
  /** Where the rate limits are counted (under STREAM_PREFIX); the gateway reads no stream. */
  REDIS_URL: redisUrl,
  STREAM_PREFIX: streamPrefix,
  /** A trusted proxy's X-Forwarded-Proto says whether the client came over TLS (HSTS). */
  TRUST_PROXY: trustProxy,
  /** An https origin means every response goes out over TLS. */
  PUBLIC_URL: publicUrl,
  LOG_LEVEL: logLevel,
  NODE_ENV: nodeEnv,
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
  READINESS_DRAIN_MS: readinessDrainMs,
  HOSTNAME: z.string().optional(),
  ...authFields,
}), [...drainRules, ...authRules]);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
