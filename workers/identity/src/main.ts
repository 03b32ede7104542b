import { openDatabase } from "@rentalnang/shared/db/database";
import { migrate } from "@rentalnang/shared/db/migrate";
import { Health } from "@rentalnang/shared/http/health";
import { serve } from "@rentalnang/shared/http/serve";
import { onShutdown } from "@rentalnang/shared/lifecycle/shutdown";
import { configOrExit } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { seedDemoAccounts } from "./accounts/demo-accounts.ts";
import { createPasswords } from "./accounts/passwords.ts";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { migrations } from "./migrations.ts";
import { expirySweep } from "./provider/libsql-adapter.ts";
import { createProvider } from "./provider/provider.ts";
import { loadOrCreateSecrets } from "./provider/signing-keys.ts";
import { createAttemptLimiter } from "./sign-in/attempt-limiter.ts";

// Identity is not a domain worker (no Redis, no events), so it is wired here rather than by
// runWorker, with the same database, readiness, drain and logging.
const config = configOrExit(() => readConfig());
const production = config.NODE_ENV === "production";
const logger = createLogger("identity", config.LOG_LEVEL);
const db = await openDatabase(config.DATABASE_URL, config.DATABASE_AUTH_TOKEN);
const applied = await migrate(db, migrations);
if (applied.length > 0) logger.info({ applied }, "migrations applied");

const passwords = createPasswords(config.PASSWORD_HASH_CONCURRENCY);
if (!production) {
  const created = await seedDemoAccounts(db, passwords);
  if (created.length > 0) logger.info({ accounts: created }, "demo accounts created (password: rentalnang)");
}
const provider = createProvider({
  issuer: config.OIDC_ISSUER,
  audience: config.OIDC_AUDIENCE,
  publicUrl: config.PUBLIC_URL,
  secrets: { rental: config.RENTAL_CLIENT_SECRET, gateway: config.GATEWAY_CLIENT_SECRET },
  keys: await loadOrCreateSecrets(db),
  db,
  logger,
});
provider.proxy = config.TRUST_PROXY === "on";

const health = new Health({ database: () => db.ping() });
const app = createApp({
  provider,
  db,
  passwords,
  limits: {
    account: createAttemptLimiter(config.SIGN_IN_ATTEMPTS, config.SIGN_IN_WINDOW_SECONDS),
    address: createAttemptLimiter(config.SIGN_IN_ADDRESS_ATTEMPTS, config.SIGN_IN_WINDOW_SECONDS),
  },
  trustProxy: provider.proxy,
  audience: config.OIDC_AUDIENCE,
  devTokens: !production,
  health,
  logger,
  metrics: new Metrics("identity"),
});
const http = serve(app.fetch, config.PORT, logger);
const sweep = expirySweep(db, logger);
sweep.start();
health.markReady();
logger.info({ issuer: config.OIDC_ISSUER, devTokens: !production }, "ready");

onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [
  { name: "readiness", run: () => health.markDraining() },
  { name: "readiness-drain", run: () => Bun.sleep(config.READINESS_DRAIN_MS) },
  { name: "http", run: () => http.drain(config.SHUTDOWN_TIMEOUT_MS / 2) },
  { name: "expiry-sweep", run: () => sweep.stop() },
  { name: "database", run: () => db.close() },
]);
