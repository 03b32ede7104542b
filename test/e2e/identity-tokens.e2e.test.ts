import { beforeAll, describe, expect, test } from "bun:test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import { devToken, spawnIdentity } from "@rentalnang/shared/testing/identity";
import type { RunningProcess } from "@rentalnang/shared/testing/processes";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";

/**
 * The identity process as `npm start` runs it, over HTTP, its tokens checked with jose against
 * its own JWKS the way every other process checks them: issuer, audience, signature.
 */

const AUDIENCE = "rentalnang";
const RENTAL = { id: "rental", secret: "rental-development-secret" };
/** A JSON body, as the test reads it. */
const json = (res: Response): Promise<any> => res.json();
const cleanup = cleanupAll();
const dir = cleanup.use(tempDir("identity"));
let identity: RunningProcess;

beforeAll(async () => {
  identity = await spawnIdentity(dir.db("identity"));
  cleanup.defer(() => (identity.proc.exitCode === null ? identity.stop() : undefined));
});

async function verify(token: string, issuer = identity.url): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${identity.url}/jwks`));
  const { payload } = await jwtVerify(token, jwks, { issuer, audience: AUDIENCE, algorithms: ["ES256", "RS256"] });
  return payload;
}

async function clientCredentials(id: string, secret: string, url = identity.url) {
  return fetch(`${url}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${id}:${secret}`)}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
}

describe("discovery and keys", () => {
  test("the discovery document names this issuer, its JWKS, and the code flow with PKCE", async () => {
    const res = await fetch(`${identity.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.issuer).toBe(identity.url);
    expect(doc.jwks_uri).toBe(`${identity.url}/jwks`);
    expect(doc.token_endpoint).toBe(`${identity.url}/token`);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "client_credentials"]));
    expect(doc.response_types_supported).toEqual(["code"]);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
  });

  test("the JWKS publishes one public signing key, never its private part", async () => {
    const { keys } = await json(await fetch(`${identity.url}/jwks`));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(keys[0].d).toBeUndefined();
  });

  test("readiness and liveness answer as in every process", async () => {
    expect((await fetch(`${identity.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${identity.url}/readyz`);
    expect(ready.status).toBe(200);
    expect((await json(ready)).checks.database.status).toBe("ok");
  });
});

describe("client credentials", () => {
  test("rental gets a JWT for the API's audience that verifies against the JWKS, as itself, with no roles", async () => {
    const res = await clientCredentials(RENTAL.id, RENTAL.secret);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    const claims = await verify(body.access_token);
    expect(claims).toMatchObject({ iss: identity.url, aud: AUDIENCE, sub: "rental", client_id: "rental" });
    expect(claims.roles).toBeUndefined();
  });

  test("a wrong secret gets no token", async () => {
    const res = await clientCredentials(RENTAL.id, "not-the-secret-at-all");
    expect(res.status).toBe(401);
    expect((await json(res)).error).toBe("invalid_client");
  });
});

describe("POST /dev/token", () => {
  test("a demo account's token verifies and carries its roles, issued as to the gateway", async () => {
    for (const [account, role] of [["c-1", "customer"], ["c-2", "customer"], ["m-1", "manager"], ["o-1", "operator"]] as const) {
      const res = await fetch(`${identity.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account }) });
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
      const claims = await verify(body.access_token);
      expect(claims).toMatchObject({ iss: identity.url, aud: AUDIENCE, sub: account, client_id: "gateway", roles: [role] });
    }
  });

  test("a load-N account is created on first use with the roles asked for, and kept", async () => {
    expect((await verify(await devToken(identity.url, "load-17", ["manager"]))).roles).toEqual(["manager"]);
    expect((await verify(await devToken(identity.url, "load-17"))).roles).toEqual(["manager"]);
    expect((await verify(await devToken(identity.url, "load-18"))).roles).toEqual(["customer"]);
  });

  test("any other unknown account is 404, a bad body 400", async () => {
    const post = (body: unknown) => fetch(`${identity.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await post({ account: "c-99" })).status).toBe(404);
    expect((await post({ account: "mallory", roles: ["operator"] })).status).toBe(404);
    expect((await post({ account: "load-1", roles: ["root"] })).status).toBe(400);
    expect((await post({})).status).toBe(400);
  });
});

describe("npm run token", () => {
  test("prints one line: the account's access token from the identity at OIDC_ISSUER", async () => {
    const run = await runScript("scripts/token.ts", ["m-1"], { OIDC_ISSUER: identity.url });
    expect(run.code).toBe(0);
    expect(run.out.endsWith("\n")).toBe(true);
    expect(run.out.trimEnd().split("\n")).toHaveLength(1);
    expect(await verify(run.out.trim())).toMatchObject({ sub: "m-1", roles: ["manager"] });
  });

  test("says what is wrong, on stderr, when the account is unknown or identity is away", async () => {
    const unknown = await runScript("scripts/token.ts", ["nobody"], { OIDC_ISSUER: identity.url });
    expect(unknown.code).toBe(1);
    expect(unknown.out).toBe("");
    expect(unknown.err).toContain("No account nobody");
    const away = await runScript("scripts/token.ts", ["c-1"], { OIDC_ISSUER: "http://127.0.0.1:9" });
    expect(away.code).toBe(1);
    expect(away.err).toContain("is npm start running?");
  });
});

describe("restarts", () => {
  test("a token issued before a restart still verifies after it: the same key signs", async () => {
    const before = await devToken(identity.url, "c-1");
    const kid = decodeProtectedHeader(before).kid;
    await identity.stop();
    identity = await identity.restart();
    expect(await verify(before)).toMatchObject({ sub: "c-1" });
    const after = await devToken(identity.url, "c-1");
    expect(decodeProtectedHeader(after).kid).toBe(kid);
  });
});

describe("production", () => {
  const secrets = { RENTAL_CLIENT_SECRET: "a-rental-secret-of-its-own", GATEWAY_CLIENT_SECRET: "a-gateway-secret-of-its-own" };

  test("refuses the development client secrets, named in one line", async () => {
    const env = { NODE_ENV: "production", DATABASE_URL: dir.db("refused"), PORT: "0" };
    const run = await runScript("workers/identity/src/main.ts", [], env);
    expect(run.code).toBe(78);
    expect(run.err).toContain("config error: RENTAL_CLIENT_SECRET: must be set to a secret of its own");
    const gateway = await runScript("workers/identity/src/main.ts", [], { ...env, RENTAL_CLIENT_SECRET: secrets.RENTAL_CLIENT_SECRET });
    expect(gateway.err).toContain("config error: GATEWAY_CLIENT_SECRET");
  });

  test("has no POST /dev/token and no demo accounts", async () => {
    await using prod = await spawnIdentity(dir.db("production"), { NODE_ENV: "production", ...secrets });
    const res = await fetch(`${prod.url}/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account: "c-1" }) });
    expect(res.status).toBe(404);
    expect(prod.output.join("\n")).not.toContain("demo accounts created");
    expect((await clientCredentials(RENTAL.id, secrets.RENTAL_CLIENT_SECRET, prod.url)).status).toBe(200);
    expect((await clientCredentials(RENTAL.id, RENTAL.secret, prod.url)).status).toBe(401);
  });
});
