import type { Context } from "hono";
import type { Role } from "@rentalnang/shared/auth/principal";
import type { Assets } from "../assets/assets.ts";
import { localeOf, translator, type Locale, type Translate } from "../i18n/locale.ts";
import type { WebSession, WebSessionEnv } from "../session/web-session.ts";

/** What every view needs to draw the page around it: the language, who is signed in, where we are. */
export interface View {
  locale: Locale;
  t: Translate;
  session: WebSession | undefined;
  /** The request's path and query, to come back to after switching language or signing in. */
  path: string;
  assets: Assets;
}

export function viewOf(c: Context<WebSessionEnv>, assets: Assets): View {
  const locale = localeOf(c);
  const url = new URL(c.req.url);
  return { locale, t: translator(locale), session: c.var.webSession, path: `${url.pathname}${url.search}`, assets };
}

/** Each role's own page; a person with several roles gets a link to each. */
export const ROLE_PAGES: Record<Role, string> = { customer: "/", manager: "/manager", operator: "/operator" };

/** Whether a request came from htmx (it then wants a fragment, not a whole page). */
export const fromHtmx = (c: Context) => c.req.header("HX-Request") === "true";

/** A posted form's fields (Hono's parseBody); a body that is not a form reads as no fields. */
export const formFields = (c: Context) => c.req.parseBody().catch((): Record<string, string | File> => ({}));
