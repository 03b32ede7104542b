import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { exportSPKI, importJWK, SignJWT, UnsecuredJWT } from "jose";
import { createLogger } from "../../log/logger.ts";
import { onError } from "../../http/problem.ts";
import { expectProblem } from "../../testing/expect-problem.ts";
import { FakeIssuer, signingKey } from "../../testing/fake-issuer.ts";
import type { Reply } from "../../testing/http-client.ts";
import { createTokenVerifier, type TokenVerifier } from "../token-verifier.ts";
import { authenticate, principalOf, type AuthEnv, type AuthMode } from "./authenticate.ts";

let issuer: FakeIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await FakeIssuer.start();
  verifier = createTokenVerifier({ issuer: issuer.url, audience: "rentalnang" });
});
afterAll(() => issuer.down());

function appWith(mode: AuthMode = "on", checker = verifier) {
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requestId());
  app.onError(onError(createLogger("test", "silent")));
  app.get("/healthz", (c) => c.text("ok"));
  app.use(authenticate({ verifier: checker, mode }));
  app.get("/whoami", (c) => c.json(principalOf(c)));
  return app;
}

async function whoami(authorization?: string, mode: AuthMode = "on", checker = verifier): Promise<Reply> {
  const res = await appWith(mode, checker).request("/whoami", { headers: authorization ? { Authorization: authorization } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

const now = () => Math.floor(Date.now() / 1000);
const customer = { sub: "c-1", roles: ["customer"], client_id: "web" };

/** Each bad token of the access rules, made the way an attacker or a bug would make it, and what the 401 says. */
const badTokens: [string, () => Promise<string>, string][] = [
  ["a malformed token", async () => "not-a-jwt", "The token is malformed."],
  ["three parts of nonsense", async () => "abc.def.ghi", "The token is malformed."],
  ["an unsigned token (alg none)", async () =>
    new UnsecuredJWT(customer).setIssuer(issuer.url).setAudience("rentalnang").setExpirationTime("5m").encode(),
  "The token's signing algorithm is not accepted."],
  ["a token signed by another key under the published kid", async () =>
    issuer.sign(customer, { key: await signingKey("key-1") }), "The token's signature is invalid."],
  ["a token from another issuer", () => issuer.sign(customer, { issuer: "http://127.0.0.1:1/elsewhere" }), "The token was issued by another issuer."],
  ["a token for a wrong audience", () => issuer.sign(customer, { audience: "someone-else" }), "The token is for another audience."],
  ["an ID token (for the web client, not this API)", () =>
    issuer.sign({ ...customer, nonce: "n" }, { audience: "web", header: { typ: "JWT" } }), "The token is for another audience."],
  ["a token expired beyond the clock tolerance", () => issuer.sign(customer, { expiresInSec: -120 }), "The token has expired."],
  ["a token not valid for another two minutes", () => issuer.sign({ ...customer, nbf: now() + 120 }), "The token is not valid yet."],
  ["a token signed with a key the issuer does not publish", async () => issuer.sign(customer, { key: await signingKey("unknown-kid") }),
    "The token was signed with a key the issuer does not publish."],
  ["an HMAC token signed with the JWKS's public key as the secret", async () => {
    const key = issuer.published[0]!;
    const pem = await exportSPKI((await importJWK(key.jwk, key.alg, { extractable: true })) as CryptoKey);
    return new SignJWT(customer).setProtectedHeader({ alg: "HS256", kid: key.kid })
      .setIssuer(issuer.url).setAudience("rentalnang").setExpirationTime("5m").sign(new TextEncoder().encode(pem));
  }, "The token's signing algorithm is not accepted."],
  ["a token without an expiry", async () => {
    const key = issuer.published[0]!;
    return new SignJWT(customer).setProtectedHeader({ alg: key.alg, kid: key.kid }).setIssuer(issuer.url).setAudience("rentalnang").sign(key.privateKey);
  }, "The token has no exp claim."],
];

describe("authenticate", () => {
  test("a request without a token gets a 401 problem and a bare Bearer challenge", async () => {
    const reply = await whoami();
    expectProblem(reply, 401);
    expect(reply.headers.get("www-authenticate")).toBe('Bearer realm="rentalnang"');
  });

  test("another scheme counts as no token", async () => {
    const reply = await whoami("Basic YWRtaW46YWRtaW4=");
    expectProblem(reply, 401);
    expect(reply.headers.get("www-authenticate")).toBe('Bearer realm="rentalnang"');
  });

  for (const [name, make, detail] of badTokens) {
    test(`${name} gets a 401 problem that says why and never repeats the token`, async () => {
      const token = await make();
      const reply = await whoami(`Bearer ${token}`);
      expectProblem(reply, 401);
      expect(reply.headers.get("www-authenticate")).toStartWith('Bearer realm="rentalnang", error="invalid_token", error_description="');
      expect(reply.body.detail).toBe(detail);
      expect(reply.headers.get("www-authenticate")).toEndWith(`error_description="${detail.replace(/"/g, "'")}"`);
      expect(reply.text).not.toContain(token);
      expect(reply.headers.get("www-authenticate")).not.toContain(token);
    });
  }

  test("a good token passes with its principal", async () => {
    const reply = await whoami(`Bearer ${await issuer.sign(customer)}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ subject: "c-1", roles: ["customer"], clientId: "web" });
  });

  test("the scheme is case-insensitive", async () => {
    const reply = await whoami(`bearer ${await issuer.sign(customer)}`);
    expect(reply.status).toBe(200);
  });

  test("a token a little past its expiry still passes within the clock tolerance", async () => {
    const reply = await whoami(`Bearer ${await issuer.sign(customer, { expiresInSec: -5 })}`);
    expect(reply.status).toBe(200);
  });

  test("routes registered before the middleware stay open", async () => {
    const res = await appWith().request("/healthz");
    expect(res.status).toBe(200);
  });

  test("with AUTH=off every request is the anonymous principal with every role, token or not", async () => {
    const reply = await whoami(undefined, "off");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ subject: "anonymous", roles: ["customer", "manager", "operator"], anonymous: true });
    expect((await whoami("Bearer not-a-jwt", "off")).status).toBe(200);
  });

  test("while no signing keys could be loaded yet, a well-formed token gets a 503 problem with Retry-After", async () => {
    const down = createTokenVerifier({ issuer: `http://127.0.0.1:${FakeIssuer.freePort()}`, audience: "rentalnang" });
    const reply = await whoami(`Bearer ${await issuer.sign(customer)}`, "on", down);
    expectProblem(reply, 503);
    expect(reply.headers.get("retry-after")).toBe("5");
    expectProblem(await whoami("Bearer not-a-jwt", "on", down), 401);
  });
});
