import { describe, expect, test } from "bun:test";
import { principalFromClaims } from "./claims.ts";

describe("roles claim", () => {
  test("a claim name with dots is read as one key when the token has it (Auth0's namespaced claims)", () => {
    const claims = { sub: "m-1", "https://rentals.example.com/roles": ["manager", "admin"] };
    expect(principalFromClaims(claims, "https://rentals.example.com/roles").roles).toEqual(["manager"]);
  });

  test("otherwise a dotted name is a path into nested objects (Keycloak's realm_access.roles)", () => {
    const claims = { sub: "o-1", realm_access: { roles: "operator customer" } };
    expect(principalFromClaims(claims, "realm_access.roles").roles).toEqual(["operator", "customer"]);
  });

  test("a literal key wins over the path its dots would spell", () => {
    const claims = { sub: "c-1", "realm_access.roles": ["customer"], realm_access: { roles: ["operator"] } };
    expect(principalFromClaims(claims, "realm_access.roles").roles).toEqual(["customer"]);
  });

  test("a name found neither way gives no roles", () => {
    expect(principalFromClaims({ sub: "c-1" }, "https://rentals.example.com/roles").roles).toEqual([]);
  });
});
