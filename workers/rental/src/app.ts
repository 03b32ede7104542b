import type { Database } from "@rentalnang/shared/db/database";
import type { Health } from "@rentalnang/shared/http/health";
import { createServiceApp } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import { rentalRoutes } from "./rentals/routes.ts";
import type { Reservations } from "./rentals/reservations.ts";

export interface AppDeps {
  db: Database;
  reservations: Reservations;
  health: Health;
  logger: Logger;
  metrics: Metrics;
}

export function createApp(deps: AppDeps) {
  const app = createServiceApp({ name: "rental", logger: deps.logger, health: deps.health, metrics: deps.metrics });
  app.route("/", rentalRoutes(deps));
  return app;
}
