import { z } from "zod";
import {
  authFields, databaseUrl, drainRules, logLevel, nodeEnv, port, positiveInt, publicUrl, readinessDrainMs, shutdownTimeoutMs, trustProxy, withRules,
  type ConfigRule,
} from "@rentalnang/shared/config/fields";
import { loadConfig } from "@rentalnang/shared/config/load-config";
import { portOf } from "@rentalnang/shared/topology/topology";
import { DEV_CLIENT_SECRETS } from "./provider/clients.ts";

/** A client's secret: a documented development value unless set (production refuses it, below). */
const clientSecret = (fallback: string) => z.string().min(16, "must be at least 16 characters").default(fallback);

/** identity's environment; the keys are the variable names (README.md, 'Configuration'). */
const Fields = z.object({
  PORT: port(portOf("identity")),
  DATABASE_URL: databaseUrl("identity"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  /** The gateway's public origin: the web sign-in may redirect only back to it. */
  PUBLIC_URL: publicUrl,
  /** This provider's own public URL: the `iss` of every token it signs (the one the workers check). */
  OIDC_ISSUER: authFields.OIDC_ISSUER,
  /** The `aud` of every access token it issues (the one the workers check). */
  OIDC_AUDIENCE: authFields.OIDC_AUDIENCE,
  /** Secret of the `rental` client (client credentials, to call payment). */
  RENTAL_CLIENT_SECRET: clientSecret(DEV_CLIENT_SECRETS.rental),
  /** Secret of the `gateway` client (authorization code + PKCE, the web sign-in). */
  GATEWAY_CLIENT_SECRET: clientSecret(DEV_CLIENT_SECRETS.gateway),
  /** Password hashes computed at once (argon2id takes 64 MiB each). */
  PASSWORD_HASH_CONCURRENCY: positiveInt(2),
  /** Failed sign-ins allowed per account in SIGN_IN_WINDOW_SECONDS; then it waits for the window's end. */
  SIGN_IN_ATTEMPTS: positiveInt(5),
  /** Failed sign-ins allowed per address in SIGN_IN_WINDOW_SECONDS (several people may share one). */
  SIGN_IN_ADDRESS_ATTEMPTS: positiveInt(20),
  SIGN_IN_WINDOW_SECONDS: positiveInt(300),
  /** A trusted proxy's X-Forwarded-Proto/Host make the provider's URLs; its address is the one the sign-in limits count. */
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: logLevel,
  NODE_ENV: nodeEnv,
  SHUTDOWN_TIMEOUT_MS: shutdownTimeoutMs,
  READINESS_DRAIN_MS: readinessDrainMs,
  HOSTNAME: z.string().optional(),
});

type Fields = z.infer<typeof Fields>;

/** In production every client secret must come from the environment, never the documented default. */
const secretRule = (key: "RENTAL_CLIENT_SECRET" | "GATEWAY_CLIENT_SECRET"): ConfigRule<Fields> => ({
  key,
  holds: (env) => env.NODE_ENV !== "production" || !Object.values(DEV_CLIENT_SECRETS).includes(env[key]),
  message: () => "must be set to a secret of its own when NODE_ENV=production (the development default is public)",
});

export const Env = withRules(Fields, [...drainRules, secretRule("RENTAL_CLIENT_SECRET"), secretRule("GATEWAY_CLIENT_SECRET")]);
export type Config = z.infer<typeof Env>;

export const readConfig = (env?: Record<string, string | undefined>) => loadConfig(Env, env);
