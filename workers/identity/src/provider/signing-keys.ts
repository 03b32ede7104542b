import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { Database } from "@rentalnang/shared/db/database";

/** The algorithm of the signing key this provider generates (ECDSA P-256: small, fast). */
export const SIGNING_ALG = "ES256";

export interface ProviderSecrets {
  /** Private JWKs, the signing one first (oidc-provider's `jwks`). */
  jwks: { keys: JWK[] };
  /** Keys that sign the provider's cookies (oidc-provider's `cookies.keys`), newest first. */
  cookieKeys: string[];
}

/**
 * The provider's signing key and cookie key, generated on the first start and kept in the
 * database: a restart (or another replica) signs with the same key, so issued tokens and
 * signed-in sessions stay valid. Generated inside a write transaction, so two replicas
 * starting at once agree on one.
 */
export async function loadOrCreateSecrets(db: Database): Promise<ProviderSecrets> {
  const rows = await db.write(async (tx) => {
    const found = await tx.execute("SELECT use, private_jwk FROM signing_keys ORDER BY created_at DESC, kid");
    if (found.rows.some((r) => r.use === "sig") && found.rows.some((r) => r.use === "cookie")) return found.rows;
    const created = new Date().toISOString();
    for (const key of await newKeys()) {
      await tx.execute({ sql: "INSERT INTO signing_keys (kid, use, private_jwk, created_at) VALUES (?, ?, ?, ?)", args: [key.kid, key.use, JSON.stringify(key.jwk), created] });
    }
    return (await tx.execute("SELECT use, private_jwk FROM signing_keys ORDER BY created_at DESC, kid")).rows;
  });
  const of = (use: string) => rows.filter((r) => r.use === use).map((r) => JSON.parse(String(r.private_jwk)) as JWK);
  return { jwks: { keys: of("sig") }, cookieKeys: of("cookie").map((k) => String(k.k)) };
}

async function newKeys(): Promise<{ kid: string; use: string; jwk: JWK }[]> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const cookie: JWK = { kty: "oct", k: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url") };
  return [
    { kid, use: "sig", jwk: { ...jwk, kid, alg: SIGNING_ALG, use: "sig" } },
    { kid: await calculateJwkThumbprint(cookie), use: "cookie", jwk: cookie },
  ];
}
