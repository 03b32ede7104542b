import type { Transaction } from "@rentalnang/shared/db/database";
import { priceOf } from "@rentalnang/shared/domain/tariff";
import { reservabilityOf } from "../cars/car.ts";
import { findCar } from "../cars/car-store.ts";
import { findConflict } from "./conflict-store.ts";
import type { Rental } from "./rental.ts";
import { insertPendingRental } from "./rental-store.ts";
import type { Window } from "./window.ts";

/**
 * Why a reservation was refused before anything was written or charged: its start is out of
 * bounds, its car is unknown or retired, or a live reservation of the car overlaps the window (`conflict` is that
 * reservation's window, and nothing else about it).
 */
export type Refusal =
  | { kind: "bad-window"; detail: string }
  | { kind: "unknown-car"; detail: string }
  | { kind: "retired-car"; detail: string }
  | { kind: "conflict"; detail: string; conflict: Window };

export interface Claim {
  carId: string;
  rentHour: number;
  customerId: string | null;
  window: Window;
}

/**
 * Takes the car's window for a new pending rental, priced at the car's rate. Runs inside the
 * reservation's write transaction: the car, the conflict check and the insert are read and
 * written under the database's one write lock, so of two overlapping claims the second sees
 * the first's row (or waits for it), on one process or many on one database. Never split it
 * into a read before the transaction and an insert inside.
 */
export async function claimWindow(tx: Transaction, claim: Claim, now: string): Promise<{ kind: "claimed"; rental: Rental } | Refusal> {
  const reservable = reservabilityOf(claim.carId, await findCar(tx, claim.carId));
  if (reservable.kind !== "reservable") return reservable;
  const conflict = await findConflict(tx, claim.carId, claim.window);
  if (conflict) {
    return { kind: "conflict", detail: `Car ${claim.carId} is reserved from ${conflict.startAt} to ${conflict.endAt}.`, conflict };
  }
  const price = priceOf(claim.rentHour, reservable.car.ratePerHour);
  const rental = await insertPendingRental(tx, { carId: claim.carId, rentHour: claim.rentHour, customerId: claim.customerId, price, ...claim.window }, now);
  return { kind: "claimed", rental };
}
