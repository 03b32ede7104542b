import { beforeAll, describe, expect, test } from "bun:test";
import Redis from "ioredis";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";
import { webSessionKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups } from "@rentalnang/shared/topology/topology";
import { browser, formAction } from "./sign-in-browser.ts";

/**
 * The web sign-in over HTTP with every process spawned: the gateway as identity's client
 * (authorization code + PKCE), the session in an HttpOnly cookie, that session opening the
 * operators' dead letters and board, cross-site requests refused, and signing out. Redirects
 * are followed by hand, as a browser would, with one cookie jar per person.
 */

let stack: Stack;
let redis: Redis;
const cleanup = cleanupAll();
const PASSWORD = "rentalnang";
const SESSION = "rentalnang-session";

beforeAll(async () => {
  stack = await startStack();
  cleanup.defer(() => stack.stop());
  redis = new Redis(stack.redisUrl);
  cleanup.defer(() => redis.quit());
});

type Browser = ReturnType<typeof browser>;
const gateway = () => stack.gateway.url;
const callbackUrl = () => `${gateway()}/auth/callback`;

/** Starts signing in at the gateway: the authorization request it sends the browser with, and identity's page. */
async function openSignIn(b: Browser, returnTo = "/manager", headers: Record<string, string> = {}) {
  const start = await b.request(`${gateway()}/auth/signin?${new URLSearchParams({ return: returnTo })}`, { headers });
  expect(start.status).toBe(303);
  const authorization = new URL(start.headers.get("location")!);
  const { res, url } = await b.follow(authorization.href, (to) => to.startsWith(callbackUrl()));
  return { authorization, status: res.status, url, page: await res.text() };
}

/** Signs in through identity's form: the gateway's answer to the callback, and where it sends the browser. */
async function signIn(b: Browser, account: string, returnTo = "/manager") {
  const { page, url } = await openSignIn(b, returnTo);
  const posted = await b.submit(formAction(page, url), { account, password: PASSWORD });
  expect(posted.status).toBe(303);
  const back = await b.follow(new URL(posted.headers.get("location")!, url).href, (to) => to.startsWith(callbackUrl()));
  const callback = await b.request(back.url);
  return { callback, landing: callback.headers.get("location") };
}

/** A browser signed in as `account`. */
async function signedIn(account: string) {
  const b = browser();
  expect((await signIn(b, account)).callback.status).toBe(303);
  return b;
}

/** The CSRF token of a browser's session, as its pages put it in their forms. */
async function csrfTokenOf(b: Browser): Promise<string> {
  const stored = await redis.get(webSessionKey(stack.prefix, b.cookie(SESSION)!));
  return (JSON.parse(stored!) as { csrfToken: string }).csrfToken;
}

const sameSite = (token: string) => ({ origin: gateway(), "content-type": "application/x-www-form-urlencoded", "x-csrf-token": token });

describe("signing in", () => {
  test("goes to identity with code, PKCE S256, state, nonce and prompt=login, and comes back with a session cookie only", async () => {
    const b = browser();
    const { authorization, status, page } = await openSignIn(b);
    expect(authorization.origin).toBe(stack.identity.url);
    const asked = Object.fromEntries(authorization.searchParams);
    expect(asked).toMatchObject({
      client_id: "gateway", response_type: "code", redirect_uri: callbackUrl(), scope: "openid", code_challenge_method: "S256", prompt: "login", ui_locales: "en",
    });
    for (const secret of ["state", "nonce", "code_challenge"]) expect(asked[secret]!.length).toBeGreaterThanOrEqual(43);
    expect(status).toBe(200);
    expect(page).toContain(">Account</label>");

    const { callback, landing } = await signIn(b, "c-1", "/mypages?order=asc");
    expect(callback.status).toBe(303);
    expect(landing).toBe("/mypages?order=asc");
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`))!;
    expect(cookie).toMatch(/^rentalnang-session=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    // What the browser got holds no token: only the session's random id.
    expect(JSON.stringify([...callback.headers])).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  });

  test("returns only to a path of the gateway: any other return is home", async () => {
    for (const elsewhere of ["https://evil.example/", "//evil.example/x"]) {
      expect((await signIn(browser(), "c-2", elsewhere)).landing).toBe("/");
    }
  });

  test("asks identity for the pages' language: Korean by Accept-Language or by the switch's cookie", async () => {
    const byHeader = await openSignIn(browser(), "/", { "accept-language": "ko-KR,ko;q=0.9" });
    expect(byHeader.authorization.searchParams.get("ui_locales")).toBe("ko");
    expect(byHeader.page).toContain('<html lang="ko">');
    expect(byHeader.page).toContain(">계정</label>");
    expect(byHeader.page).toContain(">비밀번호</label>");
    expect(byHeader.page).toContain(">로그인</button>");
    const byCookie = await openSignIn(browser(), "/", { cookie: "lang=ko", "accept-language": "en" });
    expect(byCookie.authorization.searchParams.get("ui_locales")).toBe("ko");
  });

  test("a callback this browser did not start, or one used twice, ends on an error page", async () => {
    const b = browser();
    const { page, url } = await openSignIn(b);
    const posted = await b.submit(formAction(page, url), { account: "c-1", password: PASSWORD });
    const back = await b.follow(new URL(posted.headers.get("location")!, url).href, (to) => to.startsWith(callbackUrl()));
    const stranger = await browser().request(back.url);
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain("Sign-in failed");
    expect((await b.request(back.url)).status).toBe(303);
    expect((await b.request(back.url)).status).toBe(400);
  });
});

describe("the session on the operators' surfaces", () => {
  test("a customer's session is refused the dead letters and the board; an operator's opens both", async () => {
    const customer = await signedIn("c-1");
    expect((await customer.request(`${gateway()}/admin/dead-letters`)).status).toBe(403);
    expect((await customer.request(`${gateway()}/admin/queues`)).status).toBe(403);
    const operator = await signedIn("o-1");
    const letters = await operator.request(`${gateway()}/admin/dead-letters`);
    expect(letters.status).toBe(200);
    expect(await letters.json()).toMatchObject({ deadLetters: [] });
    expect((await operator.request(`${gateway()}/admin/queues`)).status).toBe(200);
    expect((await browser().request(`${gateway()}/admin/dead-letters`)).status).toBe(401);
  });

  test("an unsafe request with the cookie from another origin, or without the page's token, is refused", async () => {
    const operator = await signedIn("o-1");
    const token = await csrfTokenOf(operator);
    const redrive = `${gateway()}/admin/dead-letters/${consumerGroups[0]!.group}/1-0/redrive`;
    const crossSite = await operator.request(redrive, { method: "POST", headers: { ...sameSite(token), origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get("content-type")).toBe("application/problem+json");
    expect((await operator.request(redrive, { method: "POST", headers: { ...sameSite(token), "x-csrf-token": "" } })).status).toBe(403);
    // From the gateway's own page with its token, the request reaches the worker (which knows no such letter).
    expect([403, 401]).not.toContain((await operator.request(redrive, { method: "POST", headers: sameSite(token) })).status);
    const signOutElsewhere = await operator.request(`${gateway()}/signout`, { method: "POST", headers: { origin: "https://evil.example" } });
    expect(signOutElsewhere.status).toBe(403);
    expect((await operator.request(`${gateway()}/admin/dead-letters`)).status).toBe(200);
  });
});

describe("signing out", () => {
  test("ends the session for good, and the next sign-in asks for the password again", async () => {
    const manager = await signedIn("m-1");
    const cookie = manager.cookie(SESSION)!;
    const out = await manager.request(`${gateway()}/signout`, { method: "POST", headers: sameSite(await csrfTokenOf(manager)), body: "" });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/");
    expect(manager.cookie(SESSION)).toBeUndefined();
    expect(await redis.exists(webSessionKey(stack.prefix, cookie))).toBe(0);
    // The old cookie, replayed, is nobody's.
    const replayed = await fetch(`${gateway()}/admin/dead-letters`, { headers: { cookie: `${SESSION}=${cookie}` } });
    expect(replayed.status).toBe(401);
    // The same browser (identity still knows it) is asked for the password, and may be someone else now.
    const again = await openSignIn(manager);
    expect(again.status).toBe(200);
    expect(again.page).toContain(">Password</label>");
    const customer = await signIn(manager, "c-2");
    expect(customer.callback.status).toBe(303);
    expect((await manager.request(`${gateway()}/admin/dead-letters`)).status).toBe(403);
  });

  test("GET /signout ends the session too", async () => {
    const operator = await signedIn("o-1");
    expect((await operator.request(`${gateway()}/signout`)).status).toBe(303);
    expect((await operator.request(`${gateway()}/admin/dead-letters`)).status).toBe(401);
  });
});
