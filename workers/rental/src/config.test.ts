import { describe, expect, test } from "bun:test";
import { readConfig } from "./config.ts";

describe("rental's token request settings", () => {
  test("scope, audience and resource are unset by default (identity needs none)", () => {
    const config = readConfig({});
    expect([config.OIDC_CLIENT_SCOPE, config.OIDC_CLIENT_AUDIENCE, config.OIDC_CLIENT_RESOURCE]).toEqual([undefined, undefined, undefined]);
  });

  test("each is read when set, and an empty one is unset", () => {
    const config = readConfig({ OIDC_CLIENT_SCOPE: "api://rentalnang/.default", OIDC_CLIENT_AUDIENCE: "https://api.example.com", OIDC_CLIENT_RESOURCE: "rentalnang" });
    expect([config.OIDC_CLIENT_SCOPE, config.OIDC_CLIENT_AUDIENCE, config.OIDC_CLIENT_RESOURCE]).toEqual([
      "api://rentalnang/.default", "https://api.example.com", "rentalnang",
    ]);
    expect(readConfig({ OIDC_CLIENT_SCOPE: "" }).OIDC_CLIENT_SCOPE).toBeUndefined();
  });
});
