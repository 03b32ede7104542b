import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createCancelRental } from "./cancel-rental.ts";
import { createReserveRental, type BusCapacity } from "./reserve-rental.ts";
import { createSettleStaleRentals } from "./settle-stale-rentals.ts";

export interface RentalUseCasesDeps {
  db: Database;
  payment: PaymentGateway;
  ratePerHour: number;
  /** Called after every commit that wrote outbox rows. */
  publishSoon: () => void;
  logger: Logger;
  now?: () => string;
  /** What a reservation checks before it charges (README.md, OUTBOX_BACKLOG_LIMIT). */
  bus?: BusCapacity;
}

/** rental's use cases, built once by main.ts and shared by the routes and the stale sweep. */
export function createRentalUseCases(deps: RentalUseCasesDeps) {
  const now = deps.now ?? (() => new Date().toISOString());
  return {
    reserveRental: createReserveRental({ ...deps, now }),
    cancelRental: createCancelRental({ ...deps, now }),
    settleStaleRentals: createSettleStaleRentals({ ...deps, now }),
  };
}
export type RentalUseCases = ReturnType<typeof createRentalUseCases>;
