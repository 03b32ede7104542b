import { z } from "zod";
import { authFields, authRules, drainRules, httpUrls, positiveInt, withRules, workerFields, type ConfigRule } from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { DEFAULT_RATE_PER_HOUR } from "@rentalnang/shared/domain/tariff";
import { localUrl, portOf } from "@rentalnang/shared/topology/topology";

/**
 * The development secret of the `rental` client at the identity process (workers/identity's
 * own development default), so that `npm start` works with no setup. It is public: production
 * refuses it.
 */
export const DEV_CLIENT_SECRET = "rental-development-secret";

/** rental's environment; the keys are the variable names (README.md, 'Configuration'). */
const Fields = z.object({
  ...workerFields("rental", portOf("rental")),
  ...authFields,
  /** rental's own client at the issuer: its client-credentials token is what payment accepts charges from. */
  OIDC_CLIENT_ID: z.string().min(1, "must not be empty").default("rental"),
  OIDC_CLIENT_SECRET: z.string().min(1, "must not be empty").default(DEV_CLIENT_SECRET),
  /**
   * What rental's token request names besides its id and secret, for providers that put no
   * audience in it by default: `scope` (Entra ID: `<api>/.default`), `audience` (Auth0: the
   * API's identifier), `resource` (RFC 8707). Unset: not sent; identity needs none.
   */
  OIDC_CLIENT_SCOPE: z.string().optional(),
  OIDC_CLIENT_AUDIENCE: z.string().optional(),
  OIDC_CLIENT_RESOURCE: z.string().optional(),
  /** payment's URL, or its replicas' URLs separated by commas (asked in turn). */
  PAYMENT_URL: httpUrls(localUrl("payment")),
  PAYMENT_TIMEOUT_MS: positiveInt(2_000),
  RATE_PER_HOUR: positiveInt(DEFAULT_RATE_PER_HOUR),
  /** Concurrent payment calls before further ones queue (cockatiel bulkhead). */
  PAYMENT_CONCURRENCY: positiveInt(64),
  /** Consecutive payment failures that open the circuit. */
  PAYMENT_BREAKER_THRESHOLD: positiveInt(5),
  /** How long the circuit stays open before one trial call. */
  PAYMENT_BREAKER_HALF_OPEN_MS: positiveInt(5_000),
  /**
   * A rental still PaymentPending after this long lost its caller (a crash mid-call) and is
   * settled as payment-unavailable. Default: three payment timeouts, at least 5 s.
   */
  STALE_PAYMENT_AFTER_MS: z.coerce.number().int().positive().optional(),
  /**
   * Unpublished outbox rows (events waiting while Redis is at its memory budget) past which
   * POST /rentals answers 503 before charging.
   */
  OUTBOX_BACKLOG_LIMIT: positiveInt(10_000),
  /** How long an Idempotency-Key replays its first answer; after that the key is free again. */
  IDEMPOTENCY_KEY_TTL_HOURS: positiveInt(24),
});

const rules: ConfigRule<z.infer<typeof Fields>>[] = [
  ...drainRules,
  ...authRules,
  {
    key: "OIDC_CLIENT_SECRET",
    holds: (env) => env.NODE_ENV !== "production" || env.OIDC_CLIENT_SECRET !== DEV_CLIENT_SECRET,
    message: () => "must be set to rental's own client secret when NODE_ENV=production (the development default is public)",
  },
  {
    key: "STALE_PAYMENT_AFTER_MS",
    holds: (env) => env.STALE_PAYMENT_AFTER_MS === undefined || env.STALE_PAYMENT_AFTER_MS > env.PAYMENT_TIMEOUT_MS,
    message: (env) =>
      `must be above PAYMENT_TIMEOUT_MS (${env.PAYMENT_TIMEOUT_MS}), or the sweep cancels rentals whose payment call is still in flight`,
  },
];

export const Env = withRules(Fields, rules);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
