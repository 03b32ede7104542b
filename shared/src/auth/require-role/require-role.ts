import type { MiddlewareHandler } from "hono";
import { principalOf, type AuthEnv } from "../authenticate/authenticate.ts";
import { Forbidden } from "../errors.ts";
import type { Role } from "../principal.ts";

/**
 * Lets through a caller holding any of `roles`; anyone else gets a 403 problem. Goes after
 * `authenticate`.
 */
export function requireRole(...roles: Role[]): MiddlewareHandler<AuthEnv> {
  const needed = roles.length === 1 ? `the role ${roles[0]}` : `one of the roles ${roles.join(", ")}`;
  return async function requireRoleOf(c, next) {
    const principal = principalOf(c);
    if (!roles.some((role) => principal.roles.includes(role))) throw new Forbidden(`This needs ${needed}.`);
    await next();
  };
}
