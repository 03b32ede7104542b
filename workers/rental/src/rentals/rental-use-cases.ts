import type { Database } from "@rentalnang/shared/db/database";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { createCancelRental } from "./cancel-rental.ts";
import { createReserveIdempotently } from "./idempotent-reservation.ts";
import { createReserveRental, type BusCapacity } from "./reserve-rental.ts";
import { createSettleStaleRentals } from "./settle-stale-rentals.ts";

export interface RentalUseCasesDeps {
  db: Database;
  payment: PaymentGateway;
  /** Called after every commit that wrote outbox rows. */
  publishSoon: () => void;
  logger: Logger;
  now?: () => string;
  /** What a reservation checks before it charges (README.md, OUTBOX_BACKLOG_LIMIT). */
  bus?: BusCapacity;
  /** How long an Idempotency-Key holds its answer; a day unless configured. */
  idempotencyKeyTtlMs?: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** rental's use cases, built once by main.ts and shared by the routes and the stale sweep. */
export function createRentalUseCases(deps: RentalUseCasesDeps) {
  const now = deps.now ?? (() => new Date().toISOString());
  const reserveRental = createReserveRental({ ...deps, now });
  return {
    reserveRental,
    reserveIdempotently: createReserveIdempotently({ db: deps.db, reserveRental, now, keyTtlMs: deps.idempotencyKeyTtlMs ?? DAY_MS }),
    cancelRental: createCancelRental({ ...deps, now }),
    settleStaleRentals: createSettleStaleRentals({ ...deps, now }),
  };
}
export type RentalUseCases = ReturnType<typeof createRentalUseCases>;
