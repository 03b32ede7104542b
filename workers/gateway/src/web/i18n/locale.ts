import type { Context } from "hono";
import { detectFromCookie, detectFromHeader } from "hono/language";
import { en, type MessageKey, type Messages } from "./en.ts";
import { ko } from "./ko.ts";

/** The languages the pages speak; English is the default. */
export const LOCALES = ["en", "ko"] as const;
export type Locale = (typeof LOCALES)[number];

/** The cookie the language switch sets; it wins over Accept-Language. */
export const LANG_COOKIE = "lang";

const DICTIONARIES: Record<Locale, Messages> = { en, ko };

/** hono/language's detectors, asked for these languages only ("ko-KR" counts as "ko"). */
const DETECTION = {
  order: ["cookie", "header"] as ("cookie" | "header")[],
  lookupQueryString: "lang",
  lookupCookie: LANG_COOKIE,
  lookupFromPathIndex: 0,
  lookupFromHeaderKey: "accept-language",
  caches: false as const,
  ignoreCase: true,
  fallbackLanguage: "en",
  supportedLanguages: [...LOCALES],
};

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** The page's language: the switch's cookie, else the best of Accept-Language, else English. */
export function localeOf(c: Context): Locale {
  const found = detectFromCookie(c, DETECTION) ?? detectFromHeader(c, DETECTION);
  return isLocale(found) ? found : "en";
}

/** Fills a message's `{name}` placeholders; a placeholder without a value stays as written. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const messages = DICTIONARIES[locale];
  return (key, values = {}) => messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Won, grouped as the language writes numbers: "3,000 won", "3,000원". */
export function money(t: Translate, locale: Locale, amount: number): string {
  return t("money.won", { amount: new Intl.NumberFormat(locale).format(amount) });
}
