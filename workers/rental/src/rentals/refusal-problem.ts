import { Conflict, HttpProblem, ValidationFailed } from "@rentalnang/shared/http/problem";
import type { Refusal } from "./claim-window.ts";

/**
 * A refused reservation as a problem: a start out of bounds is the body's fault (400), a car
 * that cannot be reserved is 422, and an overlap is 409 with the conflicting window only
 * (never whose it is).
 */
export function refusalProblem(refusal: Refusal): HttpProblem {
  switch (refusal.kind) {
    case "bad-window":
      return new ValidationFailed([{ path: "startAt", message: refusal.detail }]);
    case "unknown-car":
    case "retired-car":
      return new HttpProblem(422, "Unprocessable Content", refusal.detail, { reason: refusal.kind });
    case "conflict":
      return new Conflict(refusal.detail, { conflict: refusal.conflict });
    default: {
      const _exhaustive: never = refusal;
      return _exhaustive;
    }
  }
}
