import type { Page } from "playwright-core";

/** The demo accounts' password (README, "Try it"). */
export const DEMO_PASSWORD = "rentalnang";

/** The words a person reads to sign in, in each language of the pages and of identity's page. */
export const SIGN_IN_WORDS = {
  en: { signIn: "Sign in", account: "Account", password: "Password", signOut: "Sign out" },
  ko: { signIn: "로그인", account: "계정", password: "비밀번호", signOut: "로그아웃" },
} as const;
export type SignInLanguage = keyof typeof SIGN_IN_WORDS;

export interface SignInOptions {
  /** The application's origin (the gateway's). */
  app: string;
  account: string;
  password?: string;
  /** The page to start from; its "Sign in" link leads to identity and back here. */
  from?: string;
  language?: SignInLanguage;
}

/**
 * Signs in as a person does: opens `from`, follows its "Sign in" link (if it does not send the
 * browser there by itself) to identity's own page,
 * fills "Account" and "Password" (found by their labels), presses "Sign in" and waits to be
 * back on the application. Returns the sign-in page's URL, to show where the password was asked.
 */
export async function signIn(page: Page, { app, account, password = DEMO_PASSWORD, from = "/", language = "en" }: SignInOptions): Promise<string> {
  const words = SIGN_IN_WORDS[language];
  await page.goto(new URL(from, app).href);
  // A page for signed-in people only sends the browser to identity at once; the others link to it.
  if (new URL(page.url()).origin === new URL(app).origin) await page.getByRole("link", { name: words.signIn, exact: true }).first().click();
  return fillSignIn(page, { app, account, password, language });
}

/** On identity's sign-in page: fills it in and waits to be back on the application. */
export async function fillSignIn(page: Page, { app, account, password = DEMO_PASSWORD, language = "en" }: Omit<SignInOptions, "from">): Promise<string> {
  const words = SIGN_IN_WORDS[language];
  const appOrigin = new URL(app).origin;
  const passwordField = page.getByLabel(words.password, { exact: true });
  await passwordField.waitFor();
  const signInPage = page.url();
  if (new URL(signInPage).origin === appOrigin) throw new Error(`the password was asked on the application's own origin (${signInPage}), not identity's`);
  await page.getByLabel(words.account, { exact: true }).fill(account);
  await passwordField.fill(password);
  await page.getByRole("button", { name: words.signIn, exact: true }).click();
  await page.waitForURL((url) => url.origin === appOrigin);
  await page.getByRole("button", { name: words.signOut, exact: true }).waitFor();
  return signInPage;
}

/** Presses "Sign out" in the page's header and waits for the signed-out page's "Sign in". */
export async function signOut(page: Page, language: SignInLanguage = "en"): Promise<void> {
  const words = SIGN_IN_WORDS[language];
  await page.getByRole("button", { name: words.signOut, exact: true }).click();
  await page.getByRole("link", { name: words.signIn, exact: true }).first().waitFor();
}
