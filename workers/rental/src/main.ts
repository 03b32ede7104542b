import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { createClientCredentials } from "@rentalnang/shared/auth/client-credentials";
import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { seedDemoFleet } from "./cars/car-store.ts";
import { createCarUseCases } from "./cars/car-use-cases.ts";
import { readConfig } from "./config.ts";
import { createEventHandler } from "./events/event-handler.ts";
import { migrations } from "./migrations.ts";
import { createPaymentClient } from "./payment-client/payment-client.ts";
import { createRentalUseCases } from "./rentals/rental-use-cases.ts";
import { createStaleSweep } from "./rentals/stale-sweep.ts";
import { rentalFacts } from "./rentals/rental-facts.ts";

/** A pending rental older than this many payment timeouts has lost its caller. */
const STALE_AFTER_TIMEOUTS = 3;
const STALE_MIN_MS = 5_000;

const config = configOrExit(() => readConfig());
// rental's own token for payment, cached until shortly before it expires; none in lab mode.
const identity = config.AUTH === "on"
  ? createClientCredentials({
    issuer: config.OIDC_ISSUER,
    clientId: config.OIDC_CLIENT_ID,
    clientSecret: config.OIDC_CLIENT_SECRET,
    scope: config.OIDC_CLIENT_SCOPE,
    audience: config.OIDC_CLIENT_AUDIENCE,
    resource: config.OIDC_CLIENT_RESOURCE,
  })
  : undefined;
const staleAfterMs = config.STALE_PAYMENT_AFTER_MS ?? Math.max(STALE_MIN_MS, STALE_AFTER_TIMEOUTS * config.PAYMENT_TIMEOUT_MS);

await runWorker({
  name: "rental",
  config,
  migrations,
  facts: rentalFacts,
  expiring: ["idempotency_keys"],
  build: async ({ db, health, logger, metrics, publishSoon, pressure }) => {
    // The original's sessions reserve carId=aaa: an empty fleet outside production gets aaa … eee.
    if (config.NODE_ENV !== "production" && (await seedDemoFleet(db, config.RATE_PER_HOUR, new Date().toISOString()))) {
      logger.info({ ratePerHour: config.RATE_PER_HOUR }, "demo fleet added to an empty database");
    }
    const paymentCalls = metrics.histogram("payment_call_duration_seconds", "Payment calls by outcome (approved, declined, unavailable)", ["outcome"]);
    const payment = createPaymentClient({
      baseUrl: config.PAYMENT_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      concurrency: config.PAYMENT_CONCURRENCY,
      breakerThreshold: config.PAYMENT_BREAKER_THRESHOLD,
      halfOpenAfterMs: config.PAYMENT_BREAKER_HALF_OPEN_MS,
      logger,
      ...(identity ? { token: () => identity.token() } : {}),
      observe: (outcome, seconds) => paymentCalls.observe({ outcome }, seconds),
    });
    metrics.gauge("payment_circuit_open", "1 while the payment circuit is open or half-open", (set) => set(payment.circuit === "closed" ? 0 : 1));
    const useCases = createRentalUseCases({
      db, payment, publishSoon, logger,
      bus: { pressure, backlogLimit: config.OUTBOX_BACKLOG_LIMIT },
      idempotencyKeyTtlMs: config.IDEMPOTENCY_KEY_TTL_HOURS * 3600 * 1000,
    });
    return {
      app: createApp({ db, useCases, cars: createCarUseCases({ db }), health, logger, metrics, auth: authenticationFrom(config) }),
      ...createEventHandler({ db, logger }),
      // Reported, not required: rental stays ready while payment is down (it answers 503 fast).
      checks: { paymentCircuit: async () => ({ circuit: payment.circuit }) },
      services: [
        createStaleSweep({
          db, useCases, logger,
          maxAgeMs: staleAfterMs,
          everyMs: Math.max(250, Math.floor(staleAfterMs / 4)),
        }),
      ],
    };
  },
});
