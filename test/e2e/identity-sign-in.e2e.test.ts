import { beforeAll, describe, expect, test } from "bun:test";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { devToken, spawnIdentity } from "@rentalnang/shared/testing/identity";
import type { RunningProcess } from "@rentalnang/shared/testing/processes";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { browser, formAction, pkcePair } from "./sign-in-browser.ts";

/**
 * The web sign-in as the gateway will drive it, with plain HTTP requests: the authorization
 * code flow with PKCE through identity's own sign-in page, then the token exchange.
 */

const PUBLIC_URL = "http://localhost:18088";
const CALLBACK = `${PUBLIC_URL}/auth/callback`;
const GATEWAY = { id: "gateway", secret: "gateway-development-secret" };
const ATTEMPTS = 3;
const ADDRESS_ATTEMPTS = 6;
/** A JSON body, as the test reads it. */
const json = (res: Response): Promise<any> => res.json();
const cleanup = cleanupAll();
const dir = cleanup.use(tempDir("sign-in"));
let identity: RunningProcess;

beforeAll(async () => {
  identity = await spawnIdentity(dir.db("identity"), {
    PUBLIC_URL, SIGN_IN_ATTEMPTS: String(ATTEMPTS), SIGN_IN_ADDRESS_ATTEMPTS: String(ADDRESS_ATTEMPTS), SIGN_IN_WINDOW_SECONDS: "60",
  });
  cleanup.defer(() => (identity.proc.exitCode === null ? identity.stop() : undefined));
});

/** Starts a sign-in of the gateway client: the sign-in page it lands on, or the callback when already signed in. */
async function startSignIn(b = browser()) {
  const pkce = await pkcePair();
  const auth = new URL(`${identity.url}/auth`);
  auth.search = new URLSearchParams({
    client_id: GATEWAY.id, response_type: "code", redirect_uri: CALLBACK, scope: "openid",
    state: "s-42", code_challenge: pkce.challenge, code_challenge_method: "S256",
  }).toString();
  const { res, url } = await b.follow(auth.href, (to) => to.startsWith(CALLBACK));
  return { b, pkce, page: await res.text(), status: res.status, url };
}

async function signIn(account: string, password: string, b = browser()) {
  const start = await startSignIn(b);
  const res = await b.submit(formAction(start.page, start.url), { account, password });
  return { ...start, res };
}

async function exchange(code: string, verifier: string) {
  return fetch(`${identity.url}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${GATEWAY.id}:${GATEWAY.secret}`)}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier }),
  });
}

describe("authorization code with PKCE through the sign-in page", () => {
  test("the sign-in page asks for Account and Password, with a Sign in button", async () => {
    const { page, status, url } = await startSignIn();
    expect(status).toBe(200);
    expect(url).toMatch(new RegExp(`^${identity.url}/interaction/[\\w-]+$`));
    expect(page).toContain(">Account</label>");
    expect(page).toContain(">Password</label>");
    expect(page).toContain(">Sign in</button>");
  });

  test("signing in returns a code to the gateway, exchanged for a JWT like /dev/token's and an ID token", async () => {
    const { b, pkce, res } = await signIn("m-1", "rentalnang");
    expect(res.status).toBe(303);
    const { url } = await b.follow(new URL(res.headers.get("location")!, identity.url).href, (to) => to.startsWith(CALLBACK));
    const back = new URL(url);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get("state")).toBe("s-42");
    expect(back.searchParams.get("iss")).toBe(identity.url);

    const tokens = await exchange(back.searchParams.get("code")!, pkce.verifier);
    expect(tokens.status).toBe(200);
    const body = await json(tokens);
    expect(body.token_type).toBe("Bearer");
    const jwks = createRemoteJWKSet(new URL(`${identity.url}/jwks`));
    const { payload } = await jwtVerify(body.access_token, jwks, { issuer: identity.url, audience: "rentalnang" });
    expect(payload).toMatchObject({ sub: "m-1", client_id: "gateway", roles: ["manager"] });
    const { payload: id } = await jwtVerify(body.id_token, jwks, { issuer: identity.url, audience: "gateway" });
    expect(id.sub).toBe("m-1");
    // The development token is the same kind of token: the same claims, only the ids and times differ.
    const dev = decodeJwt(await devToken(identity.url, "m-1"));
    expect(Object.keys(dev).sort()).toEqual(Object.keys(payload).sort());
    expect({ ...dev, jti: 0, iat: 0, exp: 0 }).toEqual({ ...payload, jti: 0, iat: 0, exp: 0 });
  });

  test("a signed-in session survives a restart: the next sign-in goes straight back with a code", async () => {
    const { b, res } = await signIn("c-1", "rentalnang");
    await b.follow(new URL(res.headers.get("location")!, identity.url).href, (to) => to.startsWith(CALLBACK));
    expect(await identity.stop()).toBe(0);
    identity = await identity.restart();
    const again = await startSignIn(b);
    expect(again.url.startsWith(CALLBACK)).toBe(true);
    const tokens = await exchange(new URL(again.url).searchParams.get("code")!, again.pkce.verifier);
    expect(decodeJwt((await json(tokens)).access_token).sub).toBe("c-1");
  });

  test("a code is refused without its PKCE verifier", async () => {
    const { b, res } = await signIn("c-1", "rentalnang");
    const { url } = await b.follow(new URL(res.headers.get("location")!, identity.url).href, (to) => to.startsWith(CALLBACK));
    const refused = await exchange(new URL(url).searchParams.get("code")!, (await pkcePair()).verifier);
    expect(refused.status).toBe(400);
    expect((await json(refused)).error).toBe("invalid_grant");
  });

  test("a sign-in that does not return to PUBLIC_URL is refused on an error page", async () => {
    const b = browser();
    const { res } = await b.follow(`${identity.url}/auth?client_id=gateway&response_type=code&scope=openid&redirect_uri=${encodeURIComponent("https://evil.example/cb")}&code_challenge=x&code_challenge_method=S256`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Sign-in failed");
  });
});

describe("failed sign-ins", () => {
  test("a wrong password shows the page again with an error, and signs nobody in", async () => {
    const { res } = await signIn("c-2", "not-the-password", browser());
    expect(res.status).toBe(401);
    const page = await res.text();
    expect(page).toContain("Wrong account or password.");
    expect(page).toContain('value="c-2"');
  });

  test("an expired or unknown sign-in shows the error page, and checks no password", async () => {
    const res = await browser().request(`${identity.url}/interaction/no-such-interaction`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This sign-in has expired or was already used.");
    const posted = await browser().submit(`${identity.url}/interaction/no-such-interaction/login`, { account: "c-1", password: "rentalnang" });
    expect(posted.status).toBe(400);
    expect(await posted.text()).toContain("This sign-in has expired or was already used.");
  });

  test(`after ${ATTEMPTS} failures an account is refused for a while, even with the right password`, async () => {
    for (let i = 0; i < ATTEMPTS; i++) expect((await signIn("o-1", `guess-${i}`)).res.status).toBe(401);
    const refused = (await signIn("o-1", "rentalnang")).res;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many failed sign-ins");
  });

  // Runs last: it leaves this test run's address refused.
  test(`after ${ADDRESS_ATTEMPTS} failures from one address, every account is refused from it`, async () => {
    // So far this address failed once for c-2 and three times for o-1.
    for (const account of ["c-1", "no-such-account"]) expect((await signIn(account, "wrong")).res.status).toBe(401);
    const refused = (await signIn("m-1", "rentalnang")).res;
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("Too many failed sign-ins");
    // No notices about placeholder settings: only oidc-provider's line at import saying that
    // it is tested on Node.js rather than Bun.
    const notices = identity.output.filter((line) => line.startsWith("oidc-provider") && !line.includes("Unsupported runtime"));
    expect(notices).toEqual([]);
  });
});
