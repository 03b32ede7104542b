import type { Database } from "@rentalnang/shared/db/database";
import type { Health } from "@rentalnang/shared/http/health";
import { createServiceApp } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import { mypageRoutes } from "./view/routes.ts";

export function createApp(deps: { db: Database; health: Health; logger: Logger; metrics: Metrics }) {
  const app = createServiceApp("mypage", deps);
  app.route("/", mypageRoutes(deps));
  return app;
}
