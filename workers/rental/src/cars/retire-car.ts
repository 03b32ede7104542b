import type { Database } from "@rentalnang/shared/db/database";
import { retire, type Car } from "./car.ts";
import { findCar, saveCar } from "./car-store.ts";

export type RetireCarResult = { kind: "retired"; car: Car } | { kind: "not-found" };

/** A manager retires a car: new reservations of it are refused, existing ones kept. Retiring twice is the same. */
export function createRetireCar(deps: { db: Database; now: () => string }) {
  return async function retireCar(id: string): Promise<RetireCarResult> {
    return deps.db.write(async (tx): Promise<RetireCarResult> => {
      const car = await findCar(tx, id);
      if (!car) return { kind: "not-found" };
      const next = retire(car, deps.now());
      if (next !== car) await saveCar(tx, next);
      return { kind: "retired", car: next };
    });
  };
}
export type RetireCar = ReturnType<typeof createRetireCar>;
