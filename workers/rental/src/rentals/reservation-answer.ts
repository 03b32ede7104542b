import { problemBody } from "@rentalnang/shared/http/problem";
import { present, type RentalResource } from "./rental-resource.ts";
import type { Reservation } from "./rental.ts";
import type { Refusal } from "./claim-window.ts";
import type { Busy } from "./reserve-rental.ts";

type ProblemBody = ReturnType<typeof problemBody>;

/** A reservation as HTTP says it; an Idempotency-Key's replay sends the stored one as it is. */
export type ReservationAnswer =
  | { status: 201; body: RentalResource }
  | { status: 402; body: ProblemBody }
  | { status: 503; body: ProblemBody & { retryAfter?: number } };

/** A reservation made (reserved, declined or unavailable), as its rental and its answer. */
export interface Answered {
  rentalId: number;
  answer: ReservationAnswer;
}

/** A settled reservation's answer; a refusal or `busy` (nothing written) stays as it is. */
export function answeredOf(result: Reservation | Busy | Refusal): Answered | Busy | Refusal {
  return "rental" in result ? { rentalId: result.rental.id, answer: answerFor(result) } : result;
}

export function answerFor(reservation: Reservation): ReservationAnswer {
  const rentalId = reservation.rental.id;
  switch (reservation.kind) {
    case "reserved":
      return { status: 201, body: present(reservation.rental) };
    case "declined":
      return { status: 402, body: problemBody(402, "Payment Required", reservation.detail ?? "The payment was declined.", { rentalId }) };
    case "unavailable":
      return {
        status: 503,
        body: problemBody(503, "Service Unavailable", reservation.detail ?? "Payment is unavailable; try again later.", {
          rentalId,
          retryAfter: reservation.retryAfter,
        }),
      };
    default: {
      const _exhaustive: never = reservation;
      return _exhaustive;
    }
  }
}

/** The headers that go with an answer: where the rental is, or when to try again. */
export function answerHeaders(answer: ReservationAnswer, rentalId: number): Record<string, string> {
  switch (answer.status) {
    case 201:
      return { Location: `/rentals/${rentalId}`, "Content-Type": "application/json" };
    case 402:
      return { "Content-Type": "application/problem+json" };
    case 503:
      return { "Content-Type": "application/problem+json", "Retry-After": String(answer.body.retryAfter ?? 1) };
    default: {
      const _exhaustive: never = answer;
      return _exhaustive;
    }
  }
}
