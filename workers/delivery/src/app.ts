import type { Queue } from "bullmq";
import type { Database } from "@rentalnang/shared/db/database";
import type { Health } from "@rentalnang/shared/http/health";
import { createServiceApp } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import { BOARD_PATH, boardRoutes } from "./board/board.ts";
import type { Confirmations } from "./confirmations/confirmations.ts";
import { deliveryRoutes } from "./confirmations/routes.ts";

export interface AppDeps {
  db: Database;
  confirmations: Confirmations;
  queues: Queue[];
  board: { user?: string | undefined; password?: string | undefined };
  health: Health;
  logger: Logger;
  metrics: Metrics;
}

export function createApp(deps: AppDeps) {
  const app = createServiceApp("delivery", deps);
  app.route("/", deliveryRoutes(deps));
  app.get(`${BOARD_PATH}/`, (c) => c.redirect(BOARD_PATH, 301));
  app.route(BOARD_PATH, boardRoutes({ queues: deps.queues, ...deps.board }));
  return app;
}
