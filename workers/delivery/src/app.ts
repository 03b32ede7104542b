import type { Queue } from "bullmq";
import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { BOARD_PATH, boardRoutes } from "./board/board.ts";
import { deliveriesRouter, type DeliveriesDeps } from "./deliveries/deliveries.handlers.ts";

export interface AppDeps extends ServiceFrame, DeliveriesDeps {
  queues: Queue[];
  board: { user?: string | undefined; password?: string | undefined };
}

export function createApp(deps: AppDeps) {
  const app = createServiceApp("delivery", deps).route("/", deliveriesRouter(deps));
  app.get(`${BOARD_PATH}/`, (c) => c.redirect(BOARD_PATH, 301));
  app.route(BOARD_PATH, boardRoutes({ queues: deps.queues, ...deps.board }));
  return app;
}
