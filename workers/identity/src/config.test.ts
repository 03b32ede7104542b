import { describe, expect, test } from "bun:test";
import { ConfigError } from "@rentalnang/shared/config/load-config";
import { readConfig } from "./config.ts";
import { DEV_CLIENT_SECRETS } from "./provider/clients.ts";

const OWN = { RENTAL_CLIENT_SECRET: "rental-secret-of-its-own", GATEWAY_CLIENT_SECRET: "gateway-secret-of-its-own" };

describe("identity's config", () => {
  test("outside production, the clients' secrets default to the documented development values", () => {
    const config = readConfig({});
    expect(config).toMatchObject({ PORT: 8090, OIDC_ISSUER: "http://127.0.0.1:8090", OIDC_AUDIENCE: "rentalnang", PUBLIC_URL: "http://localhost:8088" });
    expect(config.RENTAL_CLIENT_SECRET).toBe(DEV_CLIENT_SECRETS.rental);
    expect(config.GATEWAY_CLIENT_SECRET).toBe(DEV_CLIENT_SECRETS.gateway);
  });

  test("production refuses a missing or development secret, and takes secrets of their own", () => {
    expect(() => readConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => readConfig({ NODE_ENV: "production", ...OWN, GATEWAY_CLIENT_SECRET: DEV_CLIENT_SECRETS.gateway })).toThrow(/GATEWAY_CLIENT_SECRET/);
    expect(() => readConfig({ NODE_ENV: "production", ...OWN, RENTAL_CLIENT_SECRET: DEV_CLIENT_SECRETS.gateway })).toThrow(/RENTAL_CLIENT_SECRET/);
    expect(readConfig({ NODE_ENV: "production", ...OWN }).RENTAL_CLIENT_SECRET).toBe(OWN.RENTAL_CLIENT_SECRET);
  });

  test("refuses a short secret without showing it", () => {
    expect(() => readConfig({ RENTAL_CLIENT_SECRET: "short" })).toThrow("RENTAL_CLIENT_SECRET: must be at least 16 characters (got a value that is not shown)");
  });
});
