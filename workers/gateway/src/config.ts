import { z } from "zod";
import { drainRules, httpUrl, logLevel, nodeEnv, port, positiveInt, readinessDrainMs, shutdownTimeoutMs, withRules } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";

/** gateway's environment; the keys are the variable names (README.md, 'Configuration'). */
export const Env = withRules(z.object({
  PORT: port(8088),
  RENTAL_URL: httpUrl("http://127.0.0.1:8081"),
  PAYMENT_URL: httpUrl("http://127.0.0.1:8082"),
  DELIVERY_URL: httpUrl("http://127.0.0.1:8083"),
  MYPAGE_URL: httpUrl("http://127.0.0.1:8084"),
  /** Longest wait for an upstream's answer before the gateway answers 504. */
  UPSTREAM_TIMEOUT_MS: positiveInt(10_000),
  LOG_LEVEL: logLevel,
  NODE_ENV: nodeEnv,
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
  READINESS_DRAIN_MS: readinessDrainMs,
  HOSTNAME: z.string().optional(),
}), drainRules);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
