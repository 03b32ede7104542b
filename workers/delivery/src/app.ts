import type { Queue } from "bullmq";
import { authenticate, type AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { BOARD_PATH, boardRoutes } from "./board/board.ts";
import { deliveriesRouter, type DeliveriesDeps } from "./deliveries/deliveries.handlers.ts";

export interface AppDeps extends ServiceFrame, DeliveriesDeps {
  queues: Queue[];
  board: { user?: string | undefined; password?: string | undefined };
  /** How callers are known: the issuer's tokens, or the lab mode (AUTH=off). */
  auth: AuthenticateOptions;
}

/**
 * The frame's open routes (health, metrics, /openapi.json); the board, which checks its
 * operators itself (a token, or break-glass basic auth); then every delivery route behind a token.
 */
export function createApp(deps: AppDeps) {
  const app = createServiceApp("delivery", deps);
  app.get(`${BOARD_PATH}/`, (c) => c.redirect(BOARD_PATH, 301));
  app.route(BOARD_PATH, boardRoutes({ queues: deps.queues, auth: deps.auth, ...deps.board }));
  app.use(authenticate(deps.auth));
  return app.route("/", deliveriesRouter(deps));
}
