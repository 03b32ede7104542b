/** @jsxImportSource hono/jsx */
import type { MessageKey } from "../i18n/en.ts";
import { Time } from "../layout/time.tsx";
import type { View } from "../layout/view.ts";
import type { Answer } from "./upstream-client.ts";

/** The problem+json members the pages read (RFC 9457 plus what the workers add). */
export interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
  conflict?: { startAt: string; endAt: string };
  reason?: string;
  rentalId?: number;
}

const FIELD_KEYS: Record<string, MessageKey> = {
  carId: "field.carId", startAt: "field.startAt", rentHour: "field.rentHour", id: "field.id", model: "field.model", ratePerHour: "field.ratePerHour",
};

/** Seconds from Retry-After, 1 when it says nothing usable. */
const retryAfter = (a: Answer) => Math.max(1, Number.parseInt(a.headers.get("retry-after") ?? "", 10) || 1);

/** A worker's refusal as a sentence in the page's language, never a bare status code. */
export function problemText(view: View, answer: Answer, subject: { carId?: string } = {}): string {
  const { t } = view;
  const p = (answer.body ?? {}) as ProblemBody;
  switch (answer.status) {
    case 400: {
      const fields = (p.errors ?? []).map((e) => `${FIELD_KEYS[e.path] ? t(FIELD_KEYS[e.path]!) : e.path}: ${e.message}`);
      return t("problem.invalid", { fields: fields.join("; ") || (p.detail ?? "") });
    }
    case 401: return t("problem.signedOut");
    case 402: return t("problem.declined");
    case 403: return t("problem.forbidden");
    case 404: return t("problem.notFound");
    case 409: return subject.carId && !p.conflict ? t("problem.duplicateCar", { carId: subject.carId }) : t("problem.conflict", { detail: p.detail ?? "" });
    case 422: return t(p.reason === "retired-car" ? "problem.retiredCar" : "problem.unknownCar", { carId: subject.carId ?? "" });
    case 429: return t("problem.tooMany", { seconds: retryAfter(answer) });
    case 502: case 504: return t("problem.down", { service: answer.upstream });
    case 503:
      if (answer.upstream === "rental" && p.rentalId !== undefined) return t("problem.paymentUnavailable", { seconds: retryAfter(answer) });
      if (answer.upstream === "rental") return t("problem.busy", { seconds: retryAfter(answer) });
      return t("problem.down", { service: answer.upstream });
    default: return t("problem.other", { detail: p.title ?? String(answer.status) });
  }
}

/**
 * The problem as a paragraph: an overlap names the window it collides with, as times the
 * browser shows in its own zone; everything else is problemText's sentence.
 */
export function ProblemMessage({ view, answer, carId }: { view: View; answer: Answer; carId?: string }) {
  const conflict = (answer.body as ProblemBody | undefined)?.conflict;
  if (answer.status === 409 && conflict) {
    const [before, middle, after] = view.t("problem.overlap").split(/\{start\}|\{end\}/);
    return <p class="problem">{before}<Time iso={conflict.startAt} />{middle}<Time iso={conflict.endAt} />{after}</p>;
  }
  return <p class="problem">{problemText(view, answer, carId === undefined ? {} : { carId })}</p>;
}
