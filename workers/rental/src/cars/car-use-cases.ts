import type { Database } from "@rentalnang/shared/db/database";
import { createAddCar } from "./add-car.ts";
import { createRetireCar } from "./retire-car.ts";

/** The fleet's use cases, built once by main.ts and handed to the routes. */
export function createCarUseCases(deps: { db: Database; now?: () => string }) {
  const now = deps.now ?? (() => new Date().toISOString());
  return { addCar: createAddCar({ db: deps.db, now }), retireCar: createRetireCar({ db: deps.db, now }) };
}
export type CarUseCases = ReturnType<typeof createCarUseCases>;
