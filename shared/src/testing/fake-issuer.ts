import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";

/** A key pair the fake issuer signs with; `jwk` is its public half as a JWKS lists it. */
export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(kid: string, alg = "RS256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

export interface SignOptions {
  key?: SigningKey;
  /** Header members to add or override (`alg`, `kid`, `typ`). */
  header?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  /** Lifetime from now, in seconds; negative for an expired token. */
  expiresInSec?: number;
}

/**
 * An OpenID Connect issuer for tests, served by Bun.serve: discovery, a JWKS of `published`
 * keys, and a client-credentials token endpoint for one client. It counts what it is asked.
 */
export class FakeIssuer implements AsyncDisposable {
  readonly published: SigningKey[] = [];
  readonly requests = { discovery: 0, jwks: 0, token: 0 };
  /** The form of the last token request, to see what a client sent. */
  lastTokenForm: URLSearchParams | undefined;
  /** The token endpoint's client, and the lifetime and delay of its answers. */
  client = { id: "rental", secret: "rental-secret", lifetimeSec: 300, delayMs: 0 };
  #server: ReturnType<typeof Bun.serve> | undefined;
  #port: number;

  private constructor(port: number) {
    this.#port = port;
  }

  /** Starts an issuer on `port` (0: a free one). */
  static async start(port = 0): Promise<FakeIssuer> {
    const issuer = new FakeIssuer(port);
    await issuer.up();
    issuer.published.push(await signingKey("key-1"));
    return issuer;
  }

  /** A free port with nothing listening on it: an issuer that is down. */
  static freePort(): number {
    const probe = Bun.serve({ port: 0, fetch: () => new Response() });
    const port = probe.port!;
    probe.stop(true);
    return port;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.#server ??= Bun.serve({ port: this.#port, hostname: "127.0.0.1", fetch: (req) => this.#answer(req) });
    this.#port = this.#server.port!;
  }

  async down(): Promise<void> {
    await this.#server?.stop(true);
    this.#server = undefined;
  }

  async sign(claims: JWTPayload, { key = this.published[0]!, header = {}, issuer = this.url, audience = "rentalnang", expiresInSec = 300 }: SignOptions = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSec)
      .sign(key.privateKey);
  }

  async #answer(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (path === "/.well-known/openid-configuration") {
      this.requests.discovery++;
      return Response.json({ issuer: this.url, jwks_uri: `${this.url}/jwks`, token_endpoint: `${this.url}/token` });
    }
    if (path === "/jwks") {
      this.requests.jwks++;
      return Response.json({ keys: this.published.map((k) => k.jwk) });
    }
    if (path === "/token" && req.method === "POST") return this.#token(req);
    return new Response("not found", { status: 404 });
  }

  async #token(req: Request): Promise<Response> {
    this.requests.token++;
    const form = new URLSearchParams(await req.text());
    this.lastTokenForm = form;
    const expected = `Basic ${btoa(`${this.client.id}:${this.client.secret}`)}`;
    if (req.headers.get("authorization") !== expected || form.get("grant_type") !== "client_credentials") {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    if (this.client.delayMs) await Bun.sleep(this.client.delayMs);
    const audience = form.get("resource") ?? form.get("audience") ?? "rentalnang";
    const access_token = await this.sign({ sub: this.client.id, client_id: this.client.id, n: this.requests.token }, {
      audience,
      expiresInSec: this.client.lifetimeSec,
    });
    return Response.json({ access_token, token_type: "Bearer", expires_in: this.client.lifetimeSec });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.down();
  }
}
