import { afterEach, describe, expect, test } from "bun:test";
import { Cleanup } from "../testing/cleanup.ts";
import { FakeIssuer, signingKey } from "../testing/fake-issuer.ts";
import { AuthError, IdentityUnavailable } from "./errors.ts";
import { createTokenVerifier, type AsymmetricAlgorithm, type TokenVerifierOptions } from "./token-verifier.ts";

const cleanup = new Cleanup();
afterEach(cleanup.run);

/** A verifier without the cache unless `options` gives it one: these tests are about the checks themselves. */
async function issuerAndVerifier(options: Partial<TokenVerifierOptions> = {}, port = 0) {
  const issuer = cleanup.use(await FakeIssuer.start(port));
  const verifier = createTokenVerifier({ issuer: issuer.url, audience: "rentalnang", cacheSize: 0, ...options });
  return { issuer, verifier };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("token verifier: claims", () => {
  test("roles are read at a dotted claim path, and role names the project does not know are dropped", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ rolesClaim: "realm_access.roles" });
    const token = await issuer.sign({ sub: "m-1", azp: "web", realm_access: { roles: ["manager", "offline_access", "manager"] } });
    expect(await verifier.verify(token)).toEqual({ subject: "m-1", roles: ["manager"], clientId: "web" });
  });

  test("a token without the roles claim has no roles", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ rolesClaim: "realm_access.roles" });
    expect((await verifier.verify(await issuer.sign({ sub: "c-1", roles: ["operator"] }))).roles).toEqual([]);
  });

  test("a client-credentials token names the client as subject and has no roles", async () => {
    const { issuer, verifier } = await issuerAndVerifier();
    expect(await verifier.verify(await issuer.sign({ client_id: "rental" }))).toEqual({ subject: "rental", roles: [], clientId: "rental" });
  });

  test("an EC key the issuer publishes verifies too", async () => {
    const { issuer, verifier } = await issuerAndVerifier();
    const ec = await signingKey("ec-1", "ES256");
    issuer.published.push(ec);
    expect((await verifier.verify(await issuer.sign({ sub: "o-1", roles: "operator" }, { key: ec }))).roles).toEqual(["operator"]);
  });

  test("an issuer named with a trailing slash (as Auth0 does) is the same issuer", async () => {
    const { issuer, verifier } = await issuerAndVerifier();
    expect((await verifier.verify(await issuer.sign({ sub: "c-1" }, { issuer: `${issuer.url}/` }))).subject).toBe("c-1");
  });

  test("a symmetric algorithm cannot be configured", () => {
    expect(() => createTokenVerifier({ issuer: "http://x", audience: "a", algorithms: ["HS256" as AsymmetricAlgorithm] })).toThrow(TypeError);
  });
});

describe("token verifier: keys", () => {
  test("a rotated key that appears in the JWKS later is accepted after a refetch", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ jwksCooldownMs: 500 });
    await verifier.verify(await issuer.sign({ sub: "c-1" }));
    const rotated = await signingKey("key-2");
    const token = await issuer.sign({ sub: "c-1" }, { key: rotated });
    await Bun.sleep(550);
    expect(await rejection(verifier.verify(token))).toBeInstanceOf(AuthError);
    issuer.published.push(rotated);
    // The refetch just made starts a new cooldown: the key is found on the first try after it.
    expect(await rejection(verifier.verify(token))).toBeInstanceOf(AuthError);
    await Bun.sleep(550);
    expect((await verifier.verify(token)).subject).toBe("c-1");
    expect(issuer.requests.jwks).toBe(3);
  });

  test("a flood of unknown kids causes at most one refetch per cooldown", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ jwksCooldownMs: 500 });
    const stranger = await signingKey("stranger");
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => issuer.sign({ sub: "x" }, { key: stranger, header: { kid: `k${i}` } })));
    await verifier.verify(await issuer.sign({ sub: "c-1" }));
    const flood = async () => {
      const errors = await Promise.all(tokens.map((t) => rejection(verifier.verify(t))));
      expect(errors.every((e) => e instanceof AuthError && e.status === 401)).toBe(true);
    };
    await flood();
    expect(issuer.requests.jwks).toBe(1);
    await Bun.sleep(550);
    await flood();
    await flood();
    expect(issuer.requests.jwks).toBe(2);
  });

  test("a process starts while the issuer is down, answers 503 until it is up, then verifies", async () => {
    const port = FakeIssuer.freePort();
    const verifier = createTokenVerifier({ issuer: `http://127.0.0.1:${port}`, audience: "rentalnang" });
    const early = await rejection(verifier.verify("eyJhbGciOiJSUzI1NiIsImtpZCI6ImtleS0xIn0.e30.c2ln"));
    expect(early).toBeInstanceOf(IdentityUnavailable);
    expect((await rejection(verifier.verify("not-a-jwt"))).constructor).toBe(AuthError);
    const issuer = cleanup.use(await FakeIssuer.start(port));
    expect((await verifier.verify(await issuer.sign({ sub: "c-2", roles: ["customer"] }))).subject).toBe("c-2");
    expect(issuer.requests.discovery).toBe(1);
  });

  test("while the issuer is down, keys already fetched keep working past their age; an unknown kid is still 401", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ jwksMaxAgeMs: 50, jwksCooldownMs: 50 });
    await verifier.verify(await issuer.sign({ sub: "c-1" }));
    const later = await issuer.sign({ sub: "c-1" }, { expiresInSec: 600 });
    const stranger = await issuer.sign({ sub: "c-1" }, { key: await signingKey("stranger") });
    await issuer.down();
    await Bun.sleep(80);
    expect((await verifier.verify(later)).subject).toBe("c-1");
    expect(await rejection(verifier.verify(stranger))).toBeInstanceOf(AuthError);
    await Bun.sleep(80);
    expect((await verifier.verify(later)).subject).toBe("c-1");
  });

  test("OIDC_JWKS_URL skips discovery", async () => {
    const { issuer } = await issuerAndVerifier();
    const verifier = createTokenVerifier({ issuer: issuer.url, audience: "rentalnang", jwksUrl: `${issuer.url}/jwks` });
    await verifier.verify(await issuer.sign({ sub: "c-1" }));
    expect(issuer.requests).toMatchObject({ discovery: 0, jwks: 1 });
  });
});

describe("token verifier: cache", () => {
  test("a token seen before is answered from the cache, even while the issuer is down", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ cacheSize: 10, jwksMaxAgeMs: 0 });
    const token = await issuer.sign({ sub: "c-1", roles: ["customer"] });
    const first = await verifier.verify(token);
    await issuer.down();
    expect(await verifier.verify(token)).toBe(first);
    expect(issuer.requests.jwks).toBe(1);
  });

  test("the cache is on by default", async () => {
    const issuer = cleanup.use(await FakeIssuer.start(0));
    const verifier = createTokenVerifier({ issuer: issuer.url, audience: "rentalnang", jwksMaxAgeMs: 0 });
    const token = await issuer.sign({ sub: "c-1" });
    await verifier.verify(token);
    await issuer.down();
    expect((await verifier.verify(token)).subject).toBe("c-1");
  });

  test("a cached token is refused once it has expired, as if it had never been seen", async () => {
    let nowMs = Date.now();
    const { issuer, verifier } = await issuerAndVerifier({ cacheSize: 10, clockToleranceSec: 30, now: () => nowMs });
    const token = await issuer.sign({ sub: "c-1" }, { expiresInSec: 60 });
    expect((await verifier.verify(token)).subject).toBe("c-1");
    nowMs += 60_000 + 31_000; // past its exp and the clock tolerance
    const error = await rejection(verifier.verify(token));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe("The token has expired.");
  });

  test("a bad token is never cached", async () => {
    const { issuer, verifier } = await issuerAndVerifier({ cacheSize: 10 });
    const token = await issuer.sign({ sub: "c-1" }, { audience: "other" });
    expect(await rejection(verifier.verify(token))).toBeInstanceOf(AuthError);
    expect(await rejection(verifier.verify(token))).toBeInstanceOf(AuthError);
  });
});
