import { html } from "hono/html";
import { translator, type Locale } from "../i18n/locale.ts";

/** Why a sign-in could not finish, in the person's language. */
export type SignInProblem = "unavailable" | "expired" | "refused";

/**
 * The gateway's page for a sign-in that cannot go on (identity down, a stale or foreign
 * callback, a refused code): what happened, and a link to start again, in the pages' words.
 * Self-contained: it loads nothing, so it shows whatever else is down.
 */
export function signInProblemPage(problem: SignInProblem, locale: Locale, signInHref: string): string {
  const t = translator(locale);
  const title = t("signInProblem.title");
  return String(html`<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · rentalnang</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:10vh auto;padding:0 1rem}.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}</style>
</head><body><main>
<h1>${title}</h1>
<p class="error" role="alert">${t(`signInProblem.${problem}`)}</p>
<p><a href="${signInHref}">${t("signInProblem.again")}</a></p>
</main></body></html>`);
}
