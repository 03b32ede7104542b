import { afterEach, describe, expect, test } from "bun:test";
import { decodeJwt } from "jose";
import { Cleanup } from "../testing/cleanup.ts";
import { FakeIssuer } from "../testing/fake-issuer.ts";
import { createClientCredentials, TokenRequestRefused } from "./client-credentials.ts";
import { IssuerUnreachable } from "./discovery.ts";
import { createTokenVerifier } from "./token-verifier.ts";

const cleanup = new Cleanup();
afterEach(cleanup.run);

async function issuerAndClient(lifetimeSec = 300) {
  const issuer = cleanup.use(await FakeIssuer.start());
  issuer.client.lifetimeSec = lifetimeSec;
  const client = createClientCredentials({ issuer: issuer.url, clientId: "rental", clientSecret: "rental-secret", resource: "rentalnang" });
  return { issuer, client };
}

describe("client credentials", () => {
  test("a token is fetched once through discovery and reused while it has time left", async () => {
    const { issuer, client } = await issuerAndClient();
    const first = await client.token();
    expect(await client.token()).toBe(first);
    expect(issuer.requests).toMatchObject({ discovery: 1, token: 1 });
    const principal = await createTokenVerifier({ issuer: issuer.url, audience: "rentalnang" }).verify(first);
    expect(principal).toEqual({ subject: "rental", roles: [], clientId: "rental" });
  });

  test("scope, audience and resource reach the token endpoint when given, and only then", async () => {
    const issuer = cleanup.use(await FakeIssuer.start());
    const bare = createClientCredentials({ issuer: issuer.url, clientId: "rental", clientSecret: "rental-secret" });
    await bare.token();
    expect([...issuer.lastTokenForm!.keys()]).toEqual(["grant_type"]);
    const named = createClientCredentials({
      issuer: issuer.url, clientId: "rental", clientSecret: "rental-secret",
      scope: "api://rentalnang/.default", audience: "https://api.rentals.example.com", resource: "rentalnang",
    });
    await named.token();
    expect(Object.fromEntries(issuer.lastTokenForm!)).toEqual({
      grant_type: "client_credentials",
      scope: "api://rentalnang/.default",
      audience: "https://api.rentals.example.com",
      resource: "rentalnang",
    });
  });

  test("concurrent callers share one request", async () => {
    const { issuer, client } = await issuerAndClient();
    issuer.client.delayMs = 100;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(issuer.requests.token).toBe(1);
  });

  test("a token is replaced at 90 % of its life, before it expires", async () => {
    const { issuer, client } = await issuerAndClient(2);
    const first = await client.token();
    await Bun.sleep(1_000);
    expect(await client.token()).toBe(first);
    await Bun.sleep(900);
    const second = await client.token();
    expect(second).not.toBe(first);
    expect(decodeJwt(second).n).toBe(2);
    expect(issuer.requests.token).toBe(2);
  });

  test("an unreachable issuer is a clear error naming it, and the next call tries again", async () => {
    const port = FakeIssuer.freePort();
    const client = createClientCredentials({ issuer: `http://127.0.0.1:${port}`, clientId: "rental", clientSecret: "rental-secret" });
    const error = await client.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IssuerUnreachable);
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}/.well-known/openid-configuration could not be reached`);
    const issuer = cleanup.use(await FakeIssuer.start(port));
    expect(await client.token()).toBeString();
    expect(issuer.requests.token).toBe(1);
  });

  test("a wrong secret is refused with the endpoint's error, and the secret is not in the message", async () => {
    const issuer = cleanup.use(await FakeIssuer.start());
    const client = createClientCredentials({ tokenUrl: `${issuer.url}/token`, clientId: "rental", clientSecret: "wrong-secret" });
    const error = await client.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestRefused);
    expect((error as Error).message).toBe(`The token endpoint ${issuer.url}/token refused client rental: 401 invalid_client.`);
    expect(issuer.requests.discovery).toBe(0);
  });
});
