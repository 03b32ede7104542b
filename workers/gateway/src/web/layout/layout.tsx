/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Child } from "hono/jsx";
import { LANGUAGE_PATH } from "../i18n/language.handlers.ts";
import { LOCALES } from "../i18n/locale.ts";
import { CSRF_FIELD, CSRF_HEADER } from "../session/csrf.ts";
import { SIGN_IN_PATH, SIGN_OUT_PATH } from "../session/session-middleware.ts";
import { ROLE_PAGES, type View } from "./view.ts";

/**
 * htmx's settings: no inline indicator styles, nothing evaluated (CSP: script-src 'self'),
 * requests to this origin only. htmx swaps no 4xx or 5xx answer, so the fragments answer a
 * worker's problem as a sentence with 200. No settle delay: htmx wires a swapped-in element's
 * own hx- attributes when it settles, 20 ms after the swap by default, and a button pressed in
 * between submits its form the no-JavaScript way (a live status swapping a row's Cancel made
 * that happen); the pages use no settling transitions.
 */
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false, allowEval: false, allowScriptTags: false, selfRequestsOnly: true, defaultSettleDelay: 0,
});

const LANGUAGE_NAMES = { en: "English", ko: "한국어" } as const;

export const signInHref = (path: string) => `${SIGN_IN_PATH}?${new URLSearchParams({ return: path })}`;

/** The hidden field every form of a signed-in page carries (csrfProtection checks it). */
export function CsrfField({ view }: { view: View }) {
  return view.session ? <input type="hidden" name={CSRF_FIELD} value={view.session.csrfToken} /> : null;
}

function Navigation({ view }: { view: View }) {
  const { t, session } = view;
  const here = view.path.split("?")[0];
  const links: [string, string][] = [];
  if (session?.roles.includes("customer")) links.push([ROLE_PAGES.customer, t("nav.customer")]);
  if (session?.roles.includes("manager")) links.push([ROLE_PAGES.manager, t("nav.manager")]);
  if (session?.roles.includes("operator")) links.push([ROLE_PAGES.operator, t("nav.operator")]);
  links.push(["/docs", t("nav.docs")]);
  return (
    <nav aria-label={t("nav.label")}>
      <ul>
        {links.map(([href, text]) => (
          <li><a href={href} aria-current={href === here ? "page" : undefined}>{text}</a></li>
        ))}
      </ul>
    </nav>
  );
}

function LanguageSwitch({ view }: { view: View }) {
  return (
    <form method="post" action={LANGUAGE_PATH} role="group" aria-label={view.t("header.language")}>
      <CsrfField view={view} />
      <input type="hidden" name="return" value={view.path} />
      {LOCALES.map((l) => (
        <button type="submit" name="lang" value={l} lang={l} class="secondary" aria-pressed={l === view.locale ? "true" : "false"}>{LANGUAGE_NAMES[l]}</button>
      ))}
    </form>
  );
}

function Account({ view }: { view: View }) {
  const { t, session } = view;
  if (!session) return <a href={signInHref(view.path)}>{t("header.signIn")}</a>;
  const roles = session.roles.map((r) => t(`role.${r}`)).join(", ");
  return (
    <>
      <span class="who">{t("header.signedInAs", { subject: session.subject, roles })}</span>
      <form method="post" action={SIGN_OUT_PATH}>
        <CsrfField view={view} />
        <button type="submit" class="secondary">{t("header.signOut")}</button>
      </form>
    </>
  );
}

/** The page around every view: head, the header (who, their pages, language, sign out) and main. */
function Layout({ view, title, children }: { view: View; title: string; children?: Child }) {
  const { t, assets, session } = view;
  return (
    <html lang={view.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${title} · ${t("site.name")}`}</title>
        <link rel="icon" type="image/svg+xml" href={assets.url("icon.svg")} />
        <link rel="stylesheet" href={assets.url("app.css")} />
        <script src={assets.url("htmx.min.js")} defer></script>
        <script src={assets.url("app.js")} defer></script>
      </head>
      <body hx-headers={session ? JSON.stringify({ [CSRF_HEADER]: session.csrfToken }) : undefined}>
        <a class="skip" href="#main">{t("site.skip")}</a>
        <header class="site">
          <a class="brand" href="/">{t("site.name")}</a>
          <Navigation view={view} />
          <div class="tools">
            <LanguageSwitch view={view} />
            <Account view={view} />
          </div>
        </header>
        <main id="main">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A whole page as the answer: the doctype, then the layout. */
export function renderPage(c: Context, view: View, title: string, body: Child, status: ContentfulStatusCode = 200) {
  return c.html(`<!DOCTYPE html>${String(<Layout view={view} title={title}>{body}</Layout>)}`, status);
}

/** The status of a whole page that shows a worker's problem: its 4xx, or 502 for what went wrong behind. */
export const pageStatusOf = (answer: { status: number }): ContentfulStatusCode =>
  (answer.status >= 400 && answer.status < 500) || answer.status === 503 ? (answer.status as ContentfulStatusCode) : 502;

/** A piece of a page, for htmx to swap in. */
export function renderFragment(c: Context, body: Child, headers: Record<string, string> = {}) {
  return c.html(String(<>{body}</>), 200, headers);
}
