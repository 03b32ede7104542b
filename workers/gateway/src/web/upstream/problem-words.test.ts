import { describe, expect, test } from "bun:test";
import { assets } from "../assets/assets.ts";
import { translator, type Locale } from "../i18n/locale.ts";
import type { View } from "../layout/view.ts";
import { problemText } from "./problem-words.tsx";
import type { Answer } from "./upstream-client.ts";

const files = assets();
const view = (locale: Locale = "en"): View => ({ locale, t: translator(locale), session: undefined, path: "/", assets: files });
const answer = (status: number, body: unknown, headers: Record<string, string> = {}, upstream: Answer["upstream"] = "rental"): Answer =>
  ({ status, body, headers: new Headers(headers), upstream });

describe("a worker's problem in words", () => {
  test("a declined payment and an unavailable one, with the wait Retry-After names", () => {
    // payment declines by amount (over PAYMENT_LIMIT): fewer hours make it smaller, in either language.
    expect(problemText(view(), answer(402, { rentalId: 7 }))).toBe("The payment was declined, so nothing was reserved or charged: the amount is over the payment limit. Choose fewer hours for a smaller amount.");
    expect(problemText(view("ko"), answer(402, { rentalId: 7 }))).toBe("결제가 거절되어 예약도 결제도 되지 않았습니다. 금액이 결제 한도를 넘었습니다. 시간을 줄여 금액을 낮추세요.");
    expect(problemText(view(), answer(503, { rentalId: 7 }, { "retry-after": "5" }))).toBe("Payment is unavailable right now, try again in 5 s. Nothing was charged.");
    expect(problemText(view(), answer(503, { reason: "outbox-backlog" }, { "retry-after": "2" }))).toStartWith("Reservations are paused for a moment, try again in 2 s.");
  });

  test("an unknown or retired car names it; bad fields name the form's labels", () => {
    expect(problemText(view(), answer(422, { reason: "unknown-car" }), { carId: "zzz" })).toBe("There is no car zzz.");
    expect(problemText(view(), answer(422, { reason: "retired-car" }), { carId: "aaa" })).toBe("Car aaa is retired and can no longer be reserved.");
    expect(problemText(view(), answer(400, { errors: [{ path: "rentHour", message: "must be at most 720" }] }))).toBe("Please check: Hours: must be at most 720");
  });

  test("a worker that is down is named, in Korean too", () => {
    expect(problemText(view(), answer(502, undefined, {}, "mypage"))).toBe("The mypage service did not answer, try again shortly.");
    expect(problemText(view("ko"), answer(402, {}))).toStartWith("결제가 거절되어");
  });
});
