import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { cookieOptions, secureCookies, type CookieSecurity } from "../session/session-cookie.ts";
import { safeReturnPath } from "../session/return-path.ts";
import { isLocale, LANG_COOKIE } from "./locale.ts";

/** The language switch's path: a form posts `lang` and the page to come back to (`return`). */
export const LANGUAGE_PATH = "/lang";

/** How long the chosen language is remembered. */
const LANG_COOKIE_SECONDS = 365 * 24 * 3600;

/**
 * POST /lang: keeps the chosen language in a cookie and sends the browser back to the page it
 * came from (only a path of this site). Anyone may switch, signed in or not.
 */
export function languageRouter(cookies: CookieSecurity) {
  const app = new Hono();
  app.post(LANGUAGE_PATH, async (c) => {
    const form = await c.req.formData().catch(() => undefined);
    const lang = form?.get("lang");
    const back = safeReturnPath(String(form?.get("return") ?? "/"));
    if (isLocale(lang)) {
      // Not `__Host-`-prefixed (hono/language reads it by its plain name); the flags of every cookie the gateway sets.
      setCookie(c, LANG_COOKIE, lang, cookieOptions(secureCookies(c, cookies), LANG_COOKIE_SECONDS));
    }
    return c.redirect(back, 303);
  });
  return app;
}
