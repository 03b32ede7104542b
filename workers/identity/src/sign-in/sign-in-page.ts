import { html, raw } from "hono/html";

type Html = ReturnType<typeof html>;

/** The pages hold no async parts, so the template is already the finished string. */
export const pageText = (page: Html): string => String(page);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}
main{max-width:22rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.6rem;font-size:1rem}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:4px}`;

function layout(title: string, body: Html): Html {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · rentalnang</title><style>${raw(STYLE)}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface SignInForm {
  uid: string;
  account?: string;
  /** Why the last attempt failed, shown above the form. */
  error?: string;
}

/** The sign-in page: "Account", "Password", "Sign in". */
export function signInPage({ uid, account = "", error }: SignInForm): Html {
  return layout("Sign in", html`<h1>Sign in to rentalnang</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<form method="post" action="/interaction/${uid}/login" autocomplete="on">
<label for="account">Account</label>
<input id="account" name="account" required autofocus value="${account}" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" required autocomplete="current-password">
<button type="submit">Sign in</button>
</form>`);
}

/** A dead end in the sign-in flow (expired, unknown, or refused), with a way back. */
export function errorPage(message: string): string {
  return pageText(layout("Sign-in failed", html`<h1>Sign-in failed</h1>
<p class="error" role="alert">${message}</p>
<p>Go back to the application and start signing in again.</p>`));
}
