import type { Migration } from "@rentalnang/shared/db/migrate";

export const migrations: Migration[] = [
  {
    version: 1,
    name: "accounts, keys and the provider's state",
    statements: [
      // roles: a JSON array of "customer" | "manager" | "operator".
      `CREATE TABLE accounts (
         id TEXT PRIMARY KEY,
         password_hash TEXT NOT NULL,
         roles TEXT NOT NULL,
         created_at TEXT NOT NULL)`,
      // Private JWKs (signing) and secrets (cookie keys): kept, so a restart keeps tokens and sessions valid.
      `CREATE TABLE signing_keys (
         kid TEXT PRIMARY KEY,
         use TEXT NOT NULL,
         private_jwk TEXT NOT NULL,
         created_at TEXT NOT NULL)`,
      // oidc-provider's models (Session, Interaction, AuthorizationCode, Grant, ...), each row a JSON payload.
      `CREATE TABLE oidc_payloads (
         model TEXT NOT NULL,
         id TEXT NOT NULL,
         payload TEXT NOT NULL,
         grant_id TEXT,
         user_code TEXT,
         uid TEXT,
         expires_at INTEGER,
         consumed_at INTEGER,
         PRIMARY KEY (model, id))`,
      "CREATE INDEX oidc_payloads_grant ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL",
      "CREATE INDEX oidc_payloads_uid ON oidc_payloads (model, uid) WHERE uid IS NOT NULL",
      "CREATE INDEX oidc_payloads_user_code ON oidc_payloads (model, user_code) WHERE user_code IS NOT NULL",
      "CREATE INDEX oidc_payloads_expiry ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL",
    ],
  },
];
