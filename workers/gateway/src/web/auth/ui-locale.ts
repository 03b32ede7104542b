import type { Context } from "hono";
import { getCookie } from "hono/cookie";

/** The languages of the pages; the first is the default. */
export const UI_LOCALES = ["en", "ko"] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** The cookie the pages' language switch sets. */
export const LANG_COOKIE = "lang";

const isLocale = (value: string | undefined): value is UiLocale => UI_LOCALES.includes(value as UiLocale);

/**
 * The person's language: the page switch's `lang` cookie, else the first language of
 * Accept-Language the pages speak (by its primary tag: `ko-KR` is `ko`), else English.
 * Sent to identity as `ui_locales`, so its sign-in page speaks the same language.
 */
export function uiLocale(c: Context): UiLocale {
  const chosen = getCookie(c, LANG_COOKIE);
  if (isLocale(chosen)) return chosen;
  const ranked = (c.req.header("Accept-Language") ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.trim().slice(2) ?? 1);
      return { primary: tag.trim().toLowerCase().split("-")[0], q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.primary).find(isLocale) ?? UI_LOCALES[0];
}
