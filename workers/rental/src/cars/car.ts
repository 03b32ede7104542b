/**
 * A car of the fleet, free of any framework. rental owns the fleet because a reservation's
 * conflict check must read it in the same transaction that writes the reservation.
 */

export interface Car {
  id: string;
  model: string;
  /** Won per rental hour: a reservation's price is rentHour × this. */
  ratePerHour: number;
  createdAt: string;
  /** When a manager retired it: new reservations are refused, existing ones kept. */
  retiredAt: string | null;
}

export type Reservability =
  | { kind: "reservable"; car: Car }
  | { kind: "unknown-car"; detail: string }
  | { kind: "retired-car"; detail: string };

/** Whether a new reservation may take this car (`undefined`: no car with that id). */
export function reservabilityOf(carId: string, car: Car | undefined): Reservability {
  if (!car) return { kind: "unknown-car", detail: `There is no car ${carId}.` };
  if (car.retiredAt) return { kind: "retired-car", detail: `Car ${carId} is retired and takes no new reservations.` };
  return { kind: "reservable", car };
}

/** Retires a car; a retired one stays as it was (retiring twice is no change). */
export function retire(car: Car, now: string): Car {
  return car.retiredAt ? car : { ...car, retiredAt: now };
}

/**
 * The demo fleet an empty database gets outside production, so that the original's
 * sessions (`carId=aaa`) still work.
 */
export const DEMO_FLEET = [
  { id: "aaa", model: "Avante" },
  { id: "bbb", model: "Sonata" },
  { id: "ccc", model: "Grandeur" },
  { id: "ddd", model: "K5" },
  { id: "eee", model: "Ioniq 5" },
] as const;
