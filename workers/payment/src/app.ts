import type { Database } from "@rentalnang/shared/db/database";
import type { Health } from "@rentalnang/shared/http/health";
import { createServiceApp } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import type { Charge } from "./payments/charges.ts";
import { paymentRoutes } from "./payments/routes.ts";

export interface AppDeps {
  db: Database;
  charge: Charge;
  ratePerHour: number;
  health: Health;
  logger: Logger;
  metrics: Metrics;
}

export function createApp(deps: AppDeps) {
  const app = createServiceApp({ name: "payment", logger: deps.logger, health: deps.health, metrics: deps.metrics });
  app.route("/", paymentRoutes(deps));
  return app;
}
