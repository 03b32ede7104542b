import type { Database, Transaction } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import type { BusPressure } from "@rentalnang/shared/lifecycle/bus-pressure";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { claimWindow, type Refusal } from "./claim-window.ts";
import { reservationOf, settlePayment, type PaymentOutcome, type Rental, type Reservation } from "./rental.ts";
import { toEnvelopes } from "./rental-events.ts";
import { findRental, saveRental, saveRentalIfUnchanged } from "./rental-store.ts";
import { chooseWindow } from "./window.ts";

export interface ReserveInput {
  carId: string;
  rentHour: number;
  customerId: string | null;
  /** ISO 8601; the next full hour when absent. */
  startAt?: string | undefined;
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
 * bus is full, a refusal when the window or the car does not allow it (nothing was written in
 * any of these cases).
 */
export type ReserveResult = Reservation | { kind: "duplicate" } | Busy | Refusal;

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
  /** Called after every commit that wrote outbox rows. */
  publishSoon: () => void;
  now: () => string;
  /** Without it every reservation is taken (a test's, a tool's). */
  bus?: BusCapacity | undefined;
}

class Duplicate extends Error {}

/**
 * The reservation saga's first steps, as rental runs them: take the car's window with a
 * pending rental (claimWindow), call payment synchronously, and settle with the outcome, each
 * state change committed with its events (outbox).
 */
export function createReserveRental(deps: ReserveRentalDeps) {
  /**
   * Settles the rental as it was claimed, in one guarded write; only if it changed meanwhile
   * (a manager confirmed it, the stale-payment sweep settled it) is it read and settled as it
   * is now.
   */
  async function settleIn(tx: Transaction, pending: Rental, outcome: PaymentOutcome, cause: Cause, retryAfter: number): Promise<Reservation> {
    const decision = settlePayment(pending, outcome, deps.now());
    if (await saveRentalIfUnchanged(tx, decision.rental, pending)) {
      await appendToOutbox(tx, toEnvelopes(decision.events, cause));
      return reservationOf(decision.rental, outcome, retryAfter);
    }
    const fresh = await findRental(tx, pending.id);
    if (!fresh) throw new Error(`rental ${pending.id} vanished while its payment was settled`);
    // The stale-payment sweep settled it first; its outcome stands.
    if (fresh.status !== "PaymentPending") return reservationOf(fresh, undefined, retryAfter);
    const now = settlePayment(fresh, outcome, deps.now());
    await saveRental(tx, now.rental);
    await appendToOutbox(tx, toEnvelopes(now.events, cause));
    return reservationOf(now.rental, outcome, retryAfter);
  }

  async function settle(pending: Rental, outcome: PaymentOutcome, cause: Cause, hooks?: ReservationHooks): Promise<Reservation> {
    const retryAfter = deps.payment.retryAfterSeconds();
    const reservation = await deps.db.write(async (tx) => {
      const settled = await settleIn(tx, pending, outcome, cause, retryAfter);
      await hooks?.settled(tx, settled);
      return settled;
    });
    deps.publishSoon();
    return reservation;
  }

  return async function reserveRental(input: ReserveInput, cause: Cause, hooks?: ReservationHooks): Promise<ReserveResult> {
    const chosen = chooseWindow(input.startAt, input.rentHour, Date.parse(deps.now()));
    if (chosen.kind === "out-of-bounds") return { kind: "bad-window", detail: chosen.detail };
    const busy = await busyOutcome(deps.bus);
    if (busy) return busy;
    const claim = { carId: input.carId, rentHour: input.rentHour, customerId: input.customerId, window: chosen.window };
    const claimed = await deps.db.write(async (tx) => {
      const result = await claimWindow(tx, claim, deps.now());
      if (result.kind === "claimed" && hooks && !(await hooks.created(tx, result.rental))) throw new Duplicate();
      return result;
    }).catch((error) => {
      if (error instanceof Duplicate) return undefined;
      throw error;
    });
    if (!claimed) return { kind: "duplicate" };
    if (claimed.kind !== "claimed") return claimed;
    const created = claimed.rental;
    const outcome = await deps.payment.charge(
      {
        rentalId: created.id, rentHour: created.rentHour, amount: created.price, carId: created.carId, customerId: created.customerId,
        startAt: created.startAt, endAt: created.endAt,
      },
      cause.correlationId,
    );
    return settle(created, outcome, cause, hooks);
  };
}
export type ReserveRental = ReturnType<typeof createReserveRental>;
