import { authenticationFrom } from "@rentalnang/shared/auth/authentication-from-config";
import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createEventHandler } from "./events/event-handler.ts";
import { migrations } from "./migrations.ts";
import { createPaymentUseCases } from "./payments/payment-use-cases.ts";
import { paymentFacts } from "./payments/payment-facts.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "payment",
  config,
  migrations,
  facts: paymentFacts,
  tombstones: ["cancelled_rentals"],
  build: ({ db, health, logger, metrics, publishSoon }) => {
    if (config.FAULT_PAYMENT_DELAY_MS > 0) logger.warn({ delayMs: config.FAULT_PAYMENT_DELAY_MS }, "FAULT: every charge is delayed");
    const useCases = createPaymentUseCases({
      db, limit: config.PAYMENT_LIMIT, ratePerHour: config.RATE_PER_HOUR, publishSoon, delayMs: config.FAULT_PAYMENT_DELAY_MS,
    });
    return {
      app: createApp({ db, useCases, health, logger, metrics, auth: authenticationFrom(config), callers: config.PAYMENT_CALLERS }),
      ...createEventHandler({ db, publishSoon }),
    };
  },
});
