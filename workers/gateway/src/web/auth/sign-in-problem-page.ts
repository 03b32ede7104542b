import { html } from "hono/html";
import type { Locale } from "../i18n/locale.ts";

/** Why a sign-in could not finish, in the person's language. */
export type SignInProblem = "unavailable" | "expired" | "refused";

const TEXT: Record<Locale, Record<SignInProblem | "title" | "again", string>> = {
  en: {
    title: "Sign-in failed",
    unavailable: "Signing in is not possible right now. Please try again shortly.",
    expired: "This sign-in has expired or was not started in this browser.",
    refused: "The sign-in could not be completed.",
    again: "Sign in again",
  },
  ko: {
    title: "로그인 실패",
    unavailable: "지금은 로그인할 수 없습니다. 잠시 후 다시 시도해 주세요.",
    expired: "이 로그인은 만료되었거나 이 브라우저에서 시작되지 않았습니다.",
    refused: "로그인을 완료할 수 없습니다.",
    again: "다시 로그인",
  },
};

/**
 * The gateway's page for a sign-in that cannot go on (identity down, a stale or foreign
 * callback, a refused code): what happened, and a link to start again. Self-contained: it
 * loads nothing, so it shows whatever else is down.
 */
export function signInProblemPage(problem: SignInProblem, locale: Locale, signInHref: string): string {
  const text = TEXT[locale];
  return String(html`<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${text.title} · rentalnang</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:10vh auto;padding:0 1rem}.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}</style>
</head><body><main>
<h1>${text.title}</h1>
<p class="error" role="alert">${text[problem]}</p>
<p><a href="${signInHref}">${text.again}</a></p>
</main></body></html>`);
}
