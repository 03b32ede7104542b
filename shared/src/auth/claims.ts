import type { JWTPayload } from "jose";
import { AuthError } from "./errors.ts";
import { Role, type Principal } from "./principal.ts";

/**
 * The principal a verified token names. Roles are read from the claim of that exact name
 * when the token has one (Auth0's namespaced `https://example.com/roles`), else at a dotted
 * path (Keycloak's `realm_access.roles`), as an array or a space-separated string; role names this
 * project does not know are dropped. The client is `client_id` (RFC 9068) or `azp`.
 * @throws AuthError when the token names no subject.
 */
export function principalFromClaims(claims: JWTPayload, rolesClaim: string): Principal {
  const clientId = text(claims.client_id) ?? text(claims.azp);
  const subject = text(claims.sub) ?? clientId;
  if (!subject) throw new AuthError("The token names no subject.");
  return { subject, roles: knownRoles(valueAt(claims, rolesClaim)), clientId };
}

function valueAt(claims: JWTPayload, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split(".")) {
    if (!value || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function knownRoles(value: unknown): Role[] {
  const names = typeof value === "string" ? value.split(" ") : Array.isArray(value) ? value : [];
  const roles = names.filter((name): name is Role => Role.safeParse(name).success);
  return [...new Set(roles)];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
