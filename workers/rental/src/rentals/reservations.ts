import type { Database } from "@rentalnang/shared/db/database";
import { appendToOutbox, type Cause } from "@rentalnang/shared/db/outbox";
import { Conflict, HttpProblem, NotFound, problemBody } from "@rentalnang/shared/http/problem";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { PaymentGateway } from "../payment-client/payment-client.ts";
import { toEnvelopes } from "./events.ts";
import { claimKey, findKey, recordResponse } from "./idempotency-store.ts";
import {
  CannotCancel, cancelByCustomer, priceOf, settlePayment,
  type Decision, type PaymentOutcome, type Rental,
} from "./rental.ts";
import { findRental, insertPending, saveRental } from "./rental-store.ts";
import { present } from "./representation.ts";

export interface ReserveInput {
  carId: string;
  rentHour: number;
  customerId: string | null;
}

/** An HTTP answer the route sends as it is (also what an Idempotency-Key replays). */
export interface Answer {
  status: 201 | 402 | 503;
  body: unknown;
  rentalId: number;
}

export interface ReservationsDeps {
  db: Database;
  payment: PaymentGateway;
  ratePerHour: number;
  /** Called after every commit that wrote outbox rows. */
  onCommit: () => void;
  logger: Logger;
  now?: () => string;
}

/**
 * The reservation saga's first steps, as rental runs them: record the rental as pending,
 * call payment synchronously, and settle with the outcome, each state change committed with
 * its events (outbox).
 */
export function createReservations(deps: ReservationsDeps) {
  const now = deps.now ?? (() => new Date().toISOString());

  function answerFor(rental: Rental, outcome: PaymentOutcome | undefined, retryAfter: number): Omit<Answer, "rentalId"> {
    if (rental.status === "Reserved" || rental.status === "Confirmed") return { status: 201, body: present(rental) };
    if (rental.cancelReason === "payment-declined") {
      return {
        status: 402,
        body: problemBody(402, "Payment Required", outcome?.kind === "declined" ? outcome.detail : "The payment was declined.", {
          rentalId: rental.id,
        }),
      };
    }
    return {
      status: 503,
      body: problemBody(503, "Service Unavailable", outcome?.kind === "unavailable" ? outcome.detail : "Payment is unavailable; try again later.", {
        rentalId: rental.id,
        retryAfter,
      }),
    };
  }

  async function settle(rental: Rental, outcome: PaymentOutcome, cause: Cause): Promise<Answer> {
    const retryAfter = deps.payment.retryAfterSeconds();
    const settled = await deps.db.write(async (tx) => {
      const fresh = await findRental(tx, rental.id);
      if (!fresh) throw new Error(`rental ${rental.id} vanished while its payment was settled`);
      if (fresh.status !== "PaymentPending") return { rental: fresh }; // the stale sweep got there first
      const decision = settlePayment(fresh, outcome, now());
      const answer = answerFor(decision.rental, outcome, retryAfter);
      await saveRental(tx, decision.rental);
      await appendToOutbox(tx, toEnvelopes(decision.events, cause));
      await recordResponse(tx, rental.id, answer.status, answer.body);
      return { rental: decision.rental, answer };
    });
    deps.onCommit();
    return { ...(settled.answer ?? answerFor(settled.rental, undefined, retryAfter)), rentalId: rental.id };
  }

  return {
    /** POST /rentals. With an idempotency key, a retry gets the first answer back. */
    async reserve(input: ReserveInput, cause: Cause, idempotencyKey?: string): Promise<Answer> {
      const fingerprint = JSON.stringify([input.carId, input.rentHour, input.customerId]);
      if (idempotencyKey) {
        const replay = await replayOf(idempotencyKey, fingerprint);
        if (replay) return replay;
      }
      const created = await deps.db.write(async (tx) => {
        const rental = await insertPending(tx, { ...input, price: priceOf(input.rentHour, deps.ratePerHour) }, now());
        if (idempotencyKey && !(await claimKey(tx, idempotencyKey, fingerprint, rental.id, now()))) {
          throw new KeyTaken();
        }
        return rental;
      }).catch(async (error) => {
        if (error instanceof KeyTaken) return undefined;
        throw error;
      });
      if (!created) return (await replayOf(idempotencyKey!, fingerprint))!;
      const outcome = await deps.payment.charge(
        { rentalId: created.id, rentHour: created.rentHour, amount: created.price, carId: created.carId, customerId: created.customerId },
        cause.correlationId,
      );
      return settle(created, outcome, cause);
    },

    /** DELETE /rentals/{id}: the customer cancels; the rental is deleted and its saga undone. */
    async cancel(id: number, cause: Cause): Promise<void> {
      await deps.db.write(async (tx) => {
        const rental = await findRental(tx, id);
        if (!rental || rental.deletedAt) throw new NotFound(`There is no rental ${id}.`);
        let decision: Decision;
        try {
          decision = cancelByCustomer(rental, now());
        } catch (error) {
          if (error instanceof CannotCancel) throw new Conflict(error.message, { rentalId: id, status: rental.status });
          throw error;
        }
        await saveRental(tx, decision.rental);
        await appendToOutbox(tx, toEnvelopes(decision.events, cause));
      });
      deps.onCommit();
    },

    /**
     * Settles rentals left PaymentPending by a crash (or a call that outlived every
     * deadline) as payment-unavailable; their RentalCancelled refunds any charge.
     */
    async settleStale(olderThan: string, ids: number[]): Promise<number> {
      let settled = 0;
      for (const id of ids) {
        const done = await deps.db.write(async (tx) => {
          const rental = await findRental(tx, id);
          if (rental?.status !== "PaymentPending" || rental.createdAt >= olderThan) return false;
          const decision = settlePayment(rental, { kind: "unavailable", detail: "payment never settled" }, now());
          await saveRental(tx, decision.rental);
          await appendToOutbox(tx, toEnvelopes(decision.events, { correlationId: `stale-${id}` }));
          const a = answerFor(decision.rental, undefined, 1);
          await recordResponse(tx, id, a.status, a.body);
          return true;
        });
        if (done) settled++;
      }
      if (settled > 0) {
        deps.onCommit();
        deps.logger.warn({ settled }, "settled rentals whose payment never completed");
      }
      return settled;
    },
  };

  async function replayOf(key: string, fingerprint: string): Promise<Answer | undefined> {
    const record = await findKey(deps.db, key);
    if (!record) return undefined;
    if (record.fingerprint !== fingerprint) {
      throw new HttpProblem(422, "Unprocessable Content", "This Idempotency-Key was used with a different request body.");
    }
    if (record.response) return { ...(record.response as Omit<Answer, "rentalId">), rentalId: record.rentalId };
    throw new HttpProblem(409, "Conflict", "A request with this Idempotency-Key is still in progress.", { rentalId: record.rentalId }, { "Retry-After": "1" });
  }
}

class KeyTaken extends Error {}


export type Reservations = ReturnType<typeof createReservations>;
