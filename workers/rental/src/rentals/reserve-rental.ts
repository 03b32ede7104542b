import type { Transaction } from "@libsql/client";
import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { priceOf } from "@rentalnang/shared/domain/tariff";
import type { BusPressure } from "@rentalnang/shared/lifecycle/bus-pressure";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { reservationOf, settlePayment, type PaymentOutcome, type Rental, type Reservation } from "./rental.ts";
import { toEnvelopes } from "./rental-events.ts";
import { findRental, insertPendingRental, saveRental } from "./rental-store.ts";

export interface ReserveInput {
  carId: string;
  rentHour: number;
  customerId: string | null;
}

/**
 * Writes the caller adds to the reservation's own transactions, so that what it keeps (an
 * Idempotency-Key and the answer given for it) commits with the rental or not at all.
 */
export interface ReservationHooks {
  /** With the pending rental's insert; false means a concurrent request got there first. */
  created(tx: Transaction, rental: Rental): Promise<boolean>;
  /** With the settlement (or with the read that finds the rental settled already). */
  settled(tx: Transaction, reservation: Reservation): Promise<void>;
}

/**
 * The event bus cannot take a reservation's events now: Redis is out of memory, or so many
 * events already wait in the outbox (Redis at its memory budget) that more would only pile up.
 * Nothing was written and nothing charged.
 */
export interface Busy {
  kind: "busy";
  reason: "outbox-backlog" | "redis-out-of-memory";
  /** Seconds to wait before trying again. */
  retryAfter: number;
}

/**
 * The reservation's outcome; `duplicate` when a hook's `created` refused it, `busy` when the
 * bus is full (nothing was written in either case).
 */
export type ReserveResult = Reservation | { kind: "duplicate" } | Busy;

/** How long a client waits after `busy`: a consumer catching up drains the backlog in seconds. */
const BUSY_RETRY_AFTER = 5;

/** The bus's capacity as the reservation sees it. */
export interface BusCapacity {
  pressure: BusPressure;
  /** Unpublished outbox rows past which a reservation is refused. */
  backlogLimit: number;
}

/**
 * Refuses a reservation, before anything is charged, whose events could not be delivered:
 * while Redis is only at its budget the outbox is the buffer, up to `backlogLimit` rows.
 */
export async function busyOutcome(capacity: BusCapacity | undefined): Promise<Busy | undefined> {
  if (!capacity) return undefined;
  const [backlog, memory] = await Promise.all([
    capacity.pressure.outboxBacklog(),
    capacity.pressure.memory().catch(() => undefined), // Redis away: the backlog still bounds the wait
  ]);
  if (memory?.outOfMemory) return { kind: "busy", reason: "redis-out-of-memory", retryAfter: BUSY_RETRY_AFTER };
  if (backlog >= capacity.backlogLimit) return { kind: "busy", reason: "outbox-backlog", retryAfter: BUSY_RETRY_AFTER };
  return undefined;
}

export interface ReserveRentalDeps {
  db: Database;
  payment: PaymentGateway;
  ratePerHour: number;
  /** Called after every commit that wrote outbox rows. */
  publishSoon: () => void;
  now: () => string;
  /** Without it every reservation is taken (a test's, a tool's). */
  bus?: BusCapacity | undefined;
}

class Duplicate extends Error {}

const HOUR_MS = 3600 * 1000;

/** The hours a rental pays for: from its creation, until reservations carry a window of their own. */
function windowOf(rental: Rental): { startAt: string; endAt: string } {
  const start = Date.parse(rental.createdAt);
  return { startAt: new Date(start).toISOString(), endAt: new Date(start + rental.rentHour * HOUR_MS).toISOString() };
}

/**
 * The reservation saga's first steps, as rental runs them: record the rental as pending,
 * call payment synchronously, and settle with the outcome, each state change committed with
 * its events (outbox).
 */
export function createReserveRental(deps: ReserveRentalDeps) {
  async function settle(pending: Rental, outcome: PaymentOutcome, cause: Cause, hooks?: ReservationHooks): Promise<Reservation> {
    const retryAfter = deps.payment.retryAfterSeconds();
    const reservation = await deps.db.write(async (tx) => {
      const fresh = await findRental(tx, pending.id);
      if (!fresh) throw new Error(`rental ${pending.id} vanished while its payment was settled`);
      let settled: Reservation;
      if (fresh.status === "PaymentPending") {
        const decision = settlePayment(fresh, outcome, deps.now());
        await saveRental(tx, decision.rental);
        await appendToOutbox(tx, toEnvelopes(decision.events, cause));
        settled = reservationOf(decision.rental, outcome, retryAfter);
      } else {
        // The stale-payment sweep settled it first; its outcome stands.
        settled = reservationOf(fresh, undefined, retryAfter);
      }
      await hooks?.settled(tx, settled);
      return settled;
    });
    deps.publishSoon();
    return reservation;
  }

  return async function reserveRental(input: ReserveInput, cause: Cause, hooks?: ReservationHooks): Promise<ReserveResult> {
    const busy = await busyOutcome(deps.bus);
    if (busy) return busy;
    const created = await deps.db.write(async (tx) => {
      const rental = await insertPendingRental(tx, { ...input, price: priceOf(input.rentHour, deps.ratePerHour) }, deps.now());
      if (hooks && !(await hooks.created(tx, rental))) throw new Duplicate();
      return rental;
    }).catch((error) => {
      if (error instanceof Duplicate) return undefined;
      throw error;
    });
    if (!created) return { kind: "duplicate" };
    const outcome = await deps.payment.charge(
      { rentalId: created.id, rentHour: created.rentHour, amount: created.price, carId: created.carId, customerId: created.customerId, ...windowOf(created) },
      cause.correlationId,
    );
    return settle(created, outcome, cause, hooks);
  };
}
export type ReserveRental = ReturnType<typeof createReserveRental>;
