import type { Database } from "@rentalnang/shared/db/database";
import type { Car } from "./car.ts";
import { insertCar } from "./car-store.ts";

export type AddCarResult = { kind: "added"; car: Car } | { kind: "duplicate"; id: string };

/** A manager adds a car to the fleet; an id taken already (also by a retired car) is a duplicate. */
export function createAddCar(deps: { db: Database; now: () => string }) {
  return async function addCar(input: { id: string; model: string; ratePerHour: number }): Promise<AddCarResult> {
    const car = await deps.db.write((tx) => insertCar(tx, { ...input, createdAt: deps.now() }));
    return car ? { kind: "added", car } : { kind: "duplicate", id: input.id };
  };
}
export type AddCar = ReturnType<typeof createAddCar>;
