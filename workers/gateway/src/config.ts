import { z } from "zod";
import {
  authFields, authRules, drainRules, httpUrls, logLevel, nodeEnv, port, positiveInt, readinessDrainMs, redisUrl, shutdownTimeoutMs,
  publicUrl, streamPrefix, trustProxy, withRules,
} from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import type { ConfigRule } from "@rentalnang/shared/config/fields";
import { localUrl, portOf } from "@rentalnang/shared/topology/topology";

/**
 * The development secret of the `gateway` client at the identity process (workers/identity's
 * own development default), so that `npm start` signs people in with no setup. It is public:
 * production refuses it.
 */
export const DEV_CLIENT_SECRET = "gateway-development-secret";

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
  /** Where the web sessions are kept and the rate limits counted (under STREAM_PREFIX); the gateway reads no stream. */
  REDIS_URL: redisUrl,
  STREAM_PREFIX: streamPrefix,
  /** A trusted proxy's X-Forwarded-Proto says whether the client came over TLS (HSTS). */
  TRUST_PROXY: trustProxy,
  /**
   * The origin browsers use: identity sends signed-in people back to its /auth/callback, the
   * pages' unsafe requests must come from it (Origin), and an https origin means every
   * response goes out over TLS (HSTS, Secure `__Host-` cookies).
   */
  PUBLIC_URL: publicUrl,
  /** The gateway's own client at the issuer, for the web sign-in (authorization code + PKCE). */
  OIDC_CLIENT_ID: z.string().min(1, "must not be empty").default("gateway"),
  OIDC_CLIENT_SECRET: z.string().min(1, "must not be empty").default(DEV_CLIENT_SECRET),
  LOG_LEVEL: logLevel,
  NODE_ENV: nodeEnv,
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
  READINESS_DRAIN_MS: readinessDrainMs,
  HOSTNAME: z.string().optional(),
  ...authFields,
}), [...drainRules, ...authRules, secretRule()]);
export type Config = z.infer<typeof Env>;

/** In production the client secret must come from the environment, never the documented default. */
function secretRule(): ConfigRule<{ NODE_ENV: string; OIDC_CLIENT_SECRET: string }> {
  return {
    key: "OIDC_CLIENT_SECRET",
    holds: (env) => env.NODE_ENV !== "production" || env.OIDC_CLIENT_SECRET !== DEV_CLIENT_SECRET,
    message: () => "must be set to the gateway's own client secret when NODE_ENV=production (the development default is public)",
  };
}

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
