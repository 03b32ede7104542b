import { html, raw } from "hono/html";
import { fill, SIGN_IN_TEXT, type SignInLocale } from "./sign-in-text.ts";

type Html = ReturnType<typeof html>;

/** The pages hold no async parts, so the template is already the finished string. */
export const pageText = (page: Html): string => String(page);

// Inline and self-contained: the pages load nothing, from this origin or another (an empty
// inline icon, so browsers do not ask for /favicon.ico either).
const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:22rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}`;

function layout(locale: SignInLocale, title: string, body: Html): Html {
  return html`<!DOCTYPE html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · rentalnang</title><link rel="icon" href="data:,"><style>${raw(STYLE)}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface SignInForm {
  uid: string;
  locale?: SignInLocale;
  account?: string;
  /** Why the last attempt failed, shown above the form. */
  error?: string;
}

/** The sign-in page: "Account", "Password", "Sign in" (in Korean: "계정", "비밀번호", "로그인"). */
export function signInPage({ uid, locale = "en", account = "", error }: SignInForm): Html {
  const t = SIGN_IN_TEXT[locale];
  return layout(locale, t.title, html`<h1>${t.heading}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}/login" autocomplete="on">
<label for="account">${t.account}</label>
<input id="account" name="account" required autofocus value="${account}" autocomplete="username">
<label for="password">${t.password}</label>
<input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">${t.submit}</button>
</form>`);
}

/** A dead end in the sign-in flow (expired, unknown, or refused), with a way back. */
export function errorPage(message: string, locale: SignInLocale = "en"): string {
  const t = SIGN_IN_TEXT[locale];
  return pageText(layout(locale, t.failedTitle, html`<h1>${t.failedTitle}</h1>
<p class="error" role="alert">${message}</p>
<p>${t.goBack}</p>`));
}

/** The too-many-attempts message, in the page's language. */
export const tooManyAttempts = (locale: SignInLocale, wait: number) => fill(SIGN_IN_TEXT[locale].tooMany, { wait });
