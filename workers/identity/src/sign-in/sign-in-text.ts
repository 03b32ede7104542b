import { parseAccept } from "hono/utils/accept";

/** The languages of the sign-in pages; English is the default. */
const SIGN_IN_LOCALES = ["en", "ko"] as const;
export type SignInLocale = (typeof SIGN_IN_LOCALES)[number];

const en = {
  title: "Sign in",
  heading: "Sign in to rentalnang",
  account: "Account",
  password: "Password",
  submit: "Sign in",
  wrong: "Wrong account or password.",
  tooMany: "Too many failed sign-ins. Try again in {wait} seconds.",
  failedTitle: "Sign-in failed",
  goBack: "Go back to the application and start signing in again.",
  outOfDate: "This sign-in page is out of date.",
  unexpectedStep: 'Unexpected step "{step}".',
  expired: "This sign-in has expired or was already used.",
  unavailable: "Signing in is not possible right now. Please try again shortly.",
  cannotGoOn: "The sign-in could not go on.",
};
export type SignInText = typeof en;

/** The words of the sign-in pages, per language (the original system was Korean). */
export const SIGN_IN_TEXT: Record<SignInLocale, SignInText> = {
  en,
  ko: {
    title: "로그인",
    heading: "rentalnang에 로그인",
    account: "계정",
    password: "비밀번호",
    submit: "로그인",
    wrong: "계정 또는 비밀번호가 올바르지 않습니다.",
    tooMany: "로그인 실패가 너무 많습니다. {wait}초 후에 다시 시도해 주세요.",
    failedTitle: "로그인 실패",
    goBack: "애플리케이션으로 돌아가 다시 로그인해 주세요.",
    outOfDate: "이 로그인 페이지는 더 이상 유효하지 않습니다.",
    unexpectedStep: '예상하지 못한 단계입니다: "{step}".',
    expired: "이 로그인은 만료되었거나 이미 사용되었습니다.",
    unavailable: "지금은 로그인할 수 없습니다. 잠시 후 다시 시도해 주세요.",
    cannotGoOn: "로그인을 계속할 수 없습니다.",
  },
};

/** Fills a text's `{name}` placeholders. */
export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

const primaryOf = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? "";
const isLocale = (tag: string): tag is SignInLocale => SIGN_IN_LOCALES.includes(tag as SignInLocale);

/**
 * The language of a sign-in page: the first of the authorization request's `ui_locales`
 * (space-separated, best first; the gateway sends the language its pages use) that these
 * pages speak, else the browser's Accept-Language by weight (Hono's parser; q=0 left out),
 * else English. `ko-KR` counts as `ko`.
 */
export function signInLocale(uiLocales: unknown, acceptLanguage: string | undefined): SignInLocale {
  const asked = typeof uiLocales === "string" ? uiLocales.split(/\s+/) : [];
  const accepted = parseAccept(acceptLanguage ?? "").filter((a) => a.q > 0).map((a) => a.type);
  return [...asked, ...accepted].map(primaryOf).find(isLocale) ?? "en";
}
