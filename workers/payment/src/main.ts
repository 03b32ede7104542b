import { configOrExit, runWorker } from "@rentalnang/shared/lifecycle/worker-runtime";
import { createApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { createPaymentEventHandler } from "./events/on-rental-cancelled.ts";
import { migrations } from "./migrations.ts";
import { createCharges } from "./payments/charges.ts";

const config = configOrExit(() => readConfig());

await runWorker({
  name: "payment",
  config,
  migrations,
  publishes: "payment",
  consumes: ["rental"],
  build: ({ db, health, logger, metrics, publishSoon }) => {
    if (config.FAULT_PAYMENT_DELAY_MS > 0) logger.warn({ delayMs: config.FAULT_PAYMENT_DELAY_MS }, "FAULT: every charge is delayed");
    const charge = createCharges({ db, limit: config.PAYMENT_LIMIT, onCommit: publishSoon, delayMs: config.FAULT_PAYMENT_DELAY_MS });
    return {
      app: createApp({ db, charge, ratePerHour: config.RATE_PER_HOUR, health, logger, metrics }),
      handle: createPaymentEventHandler(db, publishSoon),
    };
  },
});
