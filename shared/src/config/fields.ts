import { z } from "zod";
import { localUrl } from "../topology/topology.ts";

/** Env fields every worker shares, with the defaults README.md "Configuration" lists. */

export const port = (fallback: number) =>
  z.coerce.number({ error: "must be a number" }).int().min(0, "must be 0..65535").max(65535, "must be 0..65535").default(fallback);

export const positiveInt = (fallback: number) =>
  z.coerce.number({ error: "must be a number" }).int("must be an integer").positive("must be a positive integer").default(fallback);

export const httpUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }))
    .transform((u) => u.replace(/\/+$/, ""));

/**
 * One upstream's replicas: an http(s) URL, or several separated by commas where nothing
 * balances in front of them (one machine); see UpstreamPool in shared/src/http/upstream-pool.ts.
 */
export const httpUrls = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((list) => list.split(",").map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/, error: "must be http(s):// URLs, separated by commas" })).min(1, "must name at least one http(s):// URL"))
    .transform((urls) => urls.map((u) => u.replace(/\/+$/, "")));

export const redisUrl = z
  .string()
  .default("redis://127.0.0.1:6379")
  .pipe(z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }));

export const databaseUrl = (process: string) =>
  z
    .string()
    .default(`file:data/${process}.db`)
    .refine((u) => u === ":memory:" || /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/.test(u), {
      error: "must be file:, :memory:, libsql://, http(s):// or ws(s)://",
    });

export const streamPrefix = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1..64 of [A-Za-z0-9._-]")
  .default("rentalnang");

export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

export const nodeEnv = z.enum(["development", "production", "test"]).default("development");

/**
 * TRUST_PROXY: "on" behind a TLS-terminating proxy or ingress, whose forwarded headers are
 * then believed: the last X-Forwarded-For entry is the client's address, X-Forwarded-Proto
 * (and, for identity, X-Forwarded-Host) say how it was reached.
 */
export const trustProxy = z.enum(["on", "off"], { error: 'must be "on" or "off"' }).default("off");

/** PUBLIC_URL: the gateway's public origin, the one browsers and API clients use. */
export const publicUrl = httpUrl("http://localhost:8088");

export const shutdownTimeoutMs = positiveInt(20_000);

/**
 * After SIGTERM, how long a process keeps serving with /readyz at 503 before it stops
 * accepting, so a load balancer that polls readiness stops sending it new requests first.
 */
export const readinessDrainMs = z.coerce.number({ error: "must be a number" }).int().nonnegative().default(1_000);

/**
 * The share of Redis `maxmemory` the system may fill: at it the outbox relays stop publishing
 * (events wait in the databases). No budget when Redis has no maxmemory.
 */
export const redisMemoryBudget = z.coerce
  .number({ error: "must be a number" })
  .gt(0, "must be a share of maxmemory, above 0 and at most 1")
  .max(1, "must be a share of maxmemory, above 0 and at most 1")
  .default(0.8);

/** Fields of every domain worker (one that owns a database and talks to Redis). */
export const workerFields = (process: string, defaultPort: number) => ({
  PORT: port(defaultPort),
  REDIS_URL: redisUrl,
  DATABASE_URL: databaseUrl(process),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  STREAM_PREFIX: streamPrefix,
  LOG_LEVEL: logLevel,
  NODE_ENV: nodeEnv,
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
  READINESS_DRAIN_MS: readinessDrainMs,
  /**
   * The longest stream entries every group has acked are kept for replay, in hours: 0 trims
   * them within a second; over the memory budget they go at once whatever this says.
   */
  STREAM_RETENTION_HOURS: z.coerce.number({ error: "must be a number" }).nonnegative().default(0),
  REDIS_MEMORY_BUDGET: redisMemoryBudget,
  /** Letters a consumer group's dead-letter stream keeps; older ones move to the worker's database. */
  DEAD_LETTER_STREAM_CAP: z.coerce.number({ error: "must be a number" }).int("must be an integer").nonnegative("must be 0 or more").default(1_000),
  HOSTNAME: z.string().optional(),
});

/**
 * A rule between two or more settings that each look fine alone. `key` is the variable the
 * error names; `holds` sees the parsed values (defaults applied).
 */
export interface ConfigRule<T> {
  key: keyof T & string;
  holds: (env: T) => boolean;
  message: (env: T) => string;
}

/** Refuses a configuration that contradicts itself, naming the variable of the first broken rule. */
export function withRules<S extends z.ZodObject>(schema: S, rules: ConfigRule<z.infer<S>>[]): S {
  return schema.superRefine((env, ctx) => {
    for (const rule of rules) {
      if (!rule.holds(env as z.infer<S>)) {
        ctx.addIssue({ code: "custom", path: [rule.key], message: rule.message(env as z.infer<S>) });
        return;
      }
    }
  }) as unknown as S;
}

type Drained = { SHUTDOWN_TIMEOUT_MS: number; READINESS_DRAIN_MS: number };

/** Rules every process with a graceful drain follows. */
export const drainRules: ConfigRule<Drained>[] = [
  {
    key: "READINESS_DRAIN_MS",
    holds: (env) => env.READINESS_DRAIN_MS < env.SHUTDOWN_TIMEOUT_MS,
    message: (env) =>
      `must be below SHUTDOWN_TIMEOUT_MS (${env.SHUTDOWN_TIMEOUT_MS}), or the drain uses the whole shutdown deadline and in-flight work is cut off`,
  },
];

/** A test-only fault switch: 0 (off) unless a test sets it. */
export const faultSwitch = z.coerce.number({ error: "must be a number" }).int().nonnegative().default(0);

/** Refuses any of the fault switches `keys` when NODE_ENV=production. */
export function refuseFaultsInProduction<S extends z.ZodObject>(schema: S, keys: (keyof z.infer<S> & string)[]): S {
  return schema.superRefine((env: Record<string, unknown>, ctx) => {
    if (env.NODE_ENV !== "production") return;
    for (const key of keys) {
      if (Number(env[key]) > 0) {
        ctx.addIssue({ code: "custom", path: [key], message: "is a test-only fault switch and is refused when NODE_ENV=production" });
      }
    }
  }) as S;
}

/**
 * Fields of every process that checks access tokens. The issuer's discovery document names
 * its JWKS unless OIDC_JWKS_URL does; roles are read at the dotted OIDC_ROLES_CLAIM path
 * (Keycloak: `realm_access.roles`). AUTH=off is the lab mode without tokens.
 */
export const authFields = {
  OIDC_ISSUER: httpUrl(localUrl("identity")),
  OIDC_AUDIENCE: z.string().min(1, "must not be empty").default("rentalnang"),
  OIDC_ROLES_CLAIM: z
    .string()
    .regex(/^[^.\s]+(\.[^.\s]+)*$/, "must be a claim name or a dotted path such as realm_access.roles")
    .default("roles"),
  OIDC_JWKS_URL: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
  AUTH: z.enum(["on", "off"], { error: "must be on or off" }).default("on"),
};

type Authenticated = { AUTH: "on" | "off"; NODE_ENV: string };

/** Rules every process with `authFields` follows. */
export const authRules: ConfigRule<Authenticated>[] = [
  {
    key: "AUTH",
    holds: (env) => env.AUTH === "on" || env.NODE_ENV !== "production",
    message: () => "off is the lab mode without tokens and is refused when NODE_ENV=production",
  },
];
