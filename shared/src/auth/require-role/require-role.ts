import type { MiddlewareHandler } from "hono";
import { principalOf, type AuthEnv } from "../authenticate/authenticate.ts";
import { Forbidden } from "../errors.ts";
import type { Principal, Role } from "../principal.ts";

/**
 * Lets through a caller holding any of `roles`; anyone else gets a 403 problem. Goes after
 * `authenticate`.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  return async function requireRoleOf(c, next) {
    assertRole(principalOf(c), ...roles);
    await next();
  };
}

/**
 * The same check inside a handler, where a route's rule depends on more than the path.
 * @throws Forbidden (403) when the caller holds none of `roles`.
 */
export function assertRole(principal: Principal, ...roles: Role[]): void {
  if (roles.some((role) => principal.roles.includes(role))) return;
  const needed = roles.length === 1 ? `the role ${roles[0]}` : `one of the roles ${roles.join(", ")}`;
  throw new Forbidden(`This needs ${needed}.`);
}
