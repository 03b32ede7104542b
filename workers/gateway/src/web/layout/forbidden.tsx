/** @jsxImportSource hono/jsx */
import type { Context, MiddlewareHandler } from "hono";
import type { Role } from "@rentalnang/shared/auth/principal";
import type { Assets } from "../assets/assets.ts";
import { requireWebSession } from "../session/session-middleware.ts";
import type { WebSessionEnv } from "../session/web-session.ts";
import { renderPage, signInHref } from "./layout.tsx";
import { fromHtmx, ROLE_PAGES, viewOf } from "./view.ts";

/**
 * Lets a page through for a signed-in person with `role`. Signed out: a page goes to the
 * sign-in (requireWebSession), an htmx request asks the browser to load the sign-in itself
 * (HX-Redirect: the sign-in is on identity's origin, which a fetch must not follow). Another
 * role: a 403 page saying whose page this is and linking to their own.
 */
export function pageFor(role: Role, assets: Assets): MiddlewareHandler<WebSessionEnv> {
  const signedIn = requireWebSession();
  return async function pageForRole(c, next) {
    const session = c.var.webSession;
    if (!session) {
      if (fromHtmx(c)) return c.body(null, 200, { "HX-Redirect": signInHref(ROLE_PAGES[role]) });
      return signedIn(c, next);
    }
    if (!session.roles.includes(role)) return forbiddenPage(c, role, assets);
    await next();
  };
}

/** 403: this page is for `role`; says who is signed in and links to their own page. */
export function forbiddenPage(c: Context<WebSessionEnv>, role: Role, assets: Assets) {
  const view = viewOf(c, assets);
  const { t, session } = view;
  const own = session?.roles[0];
  const roles = (session?.roles ?? []).map((r) => t(`role.${r}`)).join(", ");
  return renderPage(c, view, t("forbidden.title"), (
    <>
      <p>{t("forbidden.text", { role: t(`role.${role}`), subject: session?.subject ?? "", roles })}</p>
      {own ? <p><a href={ROLE_PAGES[own]}>{t("forbidden.back")}</a></p> : null}
    </>
  ), 403);
}
