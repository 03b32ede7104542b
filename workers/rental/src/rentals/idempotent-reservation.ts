import type { Database } from "@rentalnang/shared/db/database";
import type { Cause } from "@rentalnang/shared/db/outbox";
import { HttpProblem } from "@rentalnang/shared/http/problem";
import { reservationOf } from "./rental.ts";
import { findRental } from "./rental-store.ts";
import { answerFor, answeredOf, type Answered, type ReservationAnswer } from "./reservation-answer.ts";
import { claimIdempotencyKey, findIdempotencyKey, recordAnswer, type KeyScope } from "./idempotency-store.ts";
import type { Refusal } from "./claim-window.ts";
import type { Busy, ReserveInput, ReserveRental } from "./reserve-rental.ts";

/** Seconds a client waits before asking again about a reservation still in progress. */
const IN_PROGRESS_RETRY_AFTER = 1;
/** What a replay tells about a rental the stale-payment sweep settled (its caller never heard). */
const SWEPT_RETRY_AFTER = 1;

export interface IdempotentReservationDeps {
  db: Database;
  reserveRental: ReserveRental;
  now: () => string;
  /** How long a key holds its answer (README.md, IDEMPOTENCY_KEY_TTL_HOURS). */
  keyTtlMs: number;
}

/**
 * POST /rentals with an Idempotency-Key: the first request reserves, and every retry with the
 * same key, scope and body gets the first answer back byte for byte until the key expires.
 * The key is claimed with the pending rental and the answer recorded with its settlement, in
 * the same transactions. `busy` and a refusal claim nothing: the key is free for the retry.
 */
export function createReserveIdempotently(deps: IdempotentReservationDeps) {
  return async function reserveIdempotently(scope: KeyScope, key: string, input: ReserveInput, cause: Cause): Promise<Answered | Busy | Refusal> {
    // A body without startAt keeps the fingerprint keys made before windows existed.
    const fingerprint = JSON.stringify([input.carId, input.rentHour, input.customerId, ...(input.startAt ? [input.startAt] : [])]);
    const replay = () => replayOf(deps.db, { scope, key, fingerprint, now: deps.now() });
    const earlier = await replay();
    if (earlier) return earlier;
    const result = await deps.reserveRental(input, cause, {
      created: (tx, rental) => claimIdempotencyKey(tx, {
        scope, key, fingerprint, rentalId: rental.id, now: rental.createdAt,
        expiresAt: new Date(Date.parse(rental.createdAt) + deps.keyTtlMs).toISOString(),
      }),
      settled: (tx, reservation) => recordAnswer(tx, reservation.rental.id, answerFor(reservation)),
    });
    if (result.kind === "duplicate") return (await replay())!;
    // The window may be held by this key's own first request, committed in between.
    if (result.kind === "conflict") return (await replay()) ?? result;
    return answeredOf(result);
  };
}
export type ReserveIdempotently = ReturnType<typeof createReserveIdempotently>;

interface Lookup {
  scope: KeyScope;
  key: string;
  fingerprint: string;
  now: string;
}

async function replayOf(db: Database, lookup: Lookup): Promise<Answered | undefined> {
  const record = await findIdempotencyKey(db, lookup.scope, lookup.key, lookup.now);
  if (!record) return undefined;
  if (record.fingerprint !== lookup.fingerprint) {
    throw new HttpProblem(422, "Unprocessable Content", "This Idempotency-Key was used with a different request body.");
  }
  if (record.answer) return { rentalId: record.rentalId, answer: record.answer as ReservationAnswer };
  const rental = await findRental(db, record.rentalId);
  if (rental && rental.status !== "PaymentPending") {
    // Settled by the sweep after its caller was lost: this is the first answer anyone gets.
    await recordAnswer(db, rental.id, answerFor(reservationOf(rental, undefined, SWEPT_RETRY_AFTER)));
    return replayOf(db, lookup);
  }
  throw new HttpProblem(409, "Conflict", "A request with this Idempotency-Key is still in progress.", { rentalId: record.rentalId }, {
    "Retry-After": String(IN_PROGRESS_RETRY_AFTER),
  });
}
