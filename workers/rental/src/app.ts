import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { authenticate } from "@rentalnang/shared/auth/authenticate/authenticate";
import type { Database } from "@rentalnang/shared/db/database";
import { createServiceApp, type ServiceFrame } from "@rentalnang/shared/http/service-app";
import { createCarUseCases } from "./cars/car-use-cases.ts";
import { carsRouter, type CarsDeps } from "./cars/cars.handlers.ts";
import { rentalsRouter, type RentalsDeps } from "./rentals/rentals.handlers.ts";

export interface AppDeps extends ServiceFrame, RentalsDeps, Partial<CarsDeps> {
  db: Database;
  /** How callers are known: the issuer's tokens, or the lab mode (AUTH=off). */
  auth: AuthenticateOptions;
}

/** The frame's open routes (health, metrics, /openapi.json), then every rental and car route behind a token. */
export function createApp(deps: AppDeps) {
  const app = createServiceApp("rental", deps);
  app.use(authenticate(deps.auth));
  return app.route("/", rentalsRouter(deps)).route("/", carsRouter({ db: deps.db, cars: deps.cars ?? createCarUseCases({ db: deps.db }) }));
}
