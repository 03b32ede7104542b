import type { Database } from "@rentalnang/shared/db/database";
import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { rentalsRouter, type RentalsDeps } from "./rentals/rentals.handlers.ts";

export interface AppDeps extends ServiceFrame, RentalsDeps {
  db: Database;
}

export function createApp(deps: AppDeps) {
  return createServiceApp("rental", deps).route("/", rentalsRouter(deps));
}
