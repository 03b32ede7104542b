import type { Database } from "@rentalnang/shared/db/database";
import type { Cause } from "@rentalnang/shared/db/outbox";
import { HttpProblem } from "@rentalnang/shared/http/problem";
import { reservationOf } from "./rental.ts";
import { findRental } from "./rental-store.ts";
import { answerFor, type ReservationAnswer } from "./reservation-answer.ts";
import { claimIdempotencyKey, findIdempotencyKey, recordAnswer } from "./idempotency-store.ts";
import type { Busy, ReserveInput, ReserveRental } from "./reserve-rental.ts";

/** Seconds a client waits before asking again about a reservation still in progress. */
const IN_PROGRESS_RETRY_AFTER = 1;
/** What a replay tells about a rental the stale-payment sweep settled (its caller never heard). */
const SWEPT_RETRY_AFTER = 1;

export interface Answered {
  rentalId: number;
  answer: ReservationAnswer;
}

/**
 * POST /rentals with an Idempotency-Key: the first request reserves, and every retry with the
 * same key and body gets the first answer back byte for byte. The key is claimed with the
 * pending rental and the answer recorded with its settlement, in the same transactions.
 * `busy` claims nothing: the key is free for the retry.
 */
export async function reserveIdempotently(
  deps: { db: Database; reserveRental: ReserveRental },
  key: string,
  input: ReserveInput,
  cause: Cause,
): Promise<Answered | Busy> {
  const fingerprint = JSON.stringify([input.carId, input.rentHour, input.customerId]);
  const replay = await replayOf(deps.db, key, fingerprint);
  if (replay) return replay;
  const result = await deps.reserveRental(input, cause, {
    created: (tx, rental) => claimIdempotencyKey(tx, key, fingerprint, rental.id, rental.createdAt),
    settled: (tx, reservation) => recordAnswer(tx, reservation.rental.id, answerFor(reservation)),
  });
  if (result.kind === "duplicate") return (await replayOf(deps.db, key, fingerprint))!;
  if (result.kind === "busy") return result;
  return { rentalId: result.rental.id, answer: answerFor(result) };
}

async function replayOf(db: Database, key: string, fingerprint: string): Promise<Answered | undefined> {
  const record = await findIdempotencyKey(db, key);
  if (!record) return undefined;
  if (record.fingerprint !== fingerprint) {
    throw new HttpProblem(422, "Unprocessable Content", "This Idempotency-Key was used with a different request body.");
  }
  if (record.answer) return { rentalId: record.rentalId, answer: record.answer as ReservationAnswer };
  const rental = await findRental(db, record.rentalId);
  if (rental && rental.status !== "PaymentPending") {
    // Settled by the sweep after its caller was lost: this is the first answer anyone gets.
    await recordAnswer(db, rental.id, answerFor(reservationOf(rental, undefined, SWEPT_RETRY_AFTER)));
    return replayOf(db, key, fingerprint);
  }
  throw new HttpProblem(409, "Conflict", "A request with this Idempotency-Key is still in progress.", { rentalId: record.rentalId }, {
    "Retry-After": String(IN_PROGRESS_RETRY_AFTER),
  });
}
