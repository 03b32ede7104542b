import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { authFields, authRules, nodeEnv, withRules } from "./fields.ts";
import { loadConfig } from "./load-config.ts";

const Env = withRules(z.object({ NODE_ENV: nodeEnv, ...authFields }), authRules);

describe("auth config", () => {
  test("defaults point at the local identity process with tokens on", () => {
    expect(loadConfig(Env, {})).toEqual({
      NODE_ENV: "development", OIDC_ISSUER: "http://127.0.0.1:8090", OIDC_AUDIENCE: "rentalnang", OIDC_ROLES_CLAIM: "roles", AUTH: "on",
    });
  });

  test("another provider: its issuer without the trailing slash, a dotted roles claim, its own JWKS address", () => {
    const env = loadConfig(Env, {
      OIDC_ISSUER: "https://sso.example.com/realms/cars/", OIDC_ROLES_CLAIM: "realm_access.roles", OIDC_JWKS_URL: "https://sso.example.com/certs",
    });
    expect(env).toMatchObject({ OIDC_ISSUER: "https://sso.example.com/realms/cars", OIDC_ROLES_CLAIM: "realm_access.roles", OIDC_JWKS_URL: "https://sso.example.com/certs" });
  });

  test("AUTH=off is the lab mode outside production, and refused in production", () => {
    expect(loadConfig(Env, { AUTH: "off" }).AUTH).toBe("off");
    expect(() => loadConfig(Env, { AUTH: "off", NODE_ENV: "production" })).toThrow(/^AUTH: off .*refused when NODE_ENV=production/);
    expect(loadConfig(Env, { NODE_ENV: "production" }).AUTH).toBe("on");
  });

  test("bad values name their variable", () => {
    expect(() => loadConfig(Env, { AUTH: "maybe" })).toThrow(/^AUTH: must be on or off/);
    expect(() => loadConfig(Env, { OIDC_ROLES_CLAIM: "realm_access..roles" })).toThrow(/^OIDC_ROLES_CLAIM:/);
    expect(() => loadConfig(Env, { OIDC_JWKS_URL: "ftp://x/certs" })).toThrow(/^OIDC_JWKS_URL:/);
  });
});
