import { z } from "zod";

/** The roles the access table knows; any other role string in a token is ignored. */
export const Role = z.enum(["customer", "manager", "operator"]);
export type Role = z.infer<typeof Role>;

/**
 * Who is calling: the token's subject (an account id such as "c-1", or a client id for a
 * client-credentials token), its known roles, and the client the token was issued to.
 * `anonymous` marks the lab mode's caller (AUTH=off), who may do everything.
 */
export interface Principal {
  subject: string;
  roles: Role[];
  clientId: string | undefined;
  anonymous?: true;
}

/** The caller in AUTH=off lab mode: every role, and owner of every row. */
export const ANONYMOUS: Principal = Object.freeze({
  subject: "anonymous",
  roles: [...Role.options],
  clientId: undefined,
  anonymous: true,
}) as Principal;

/** Whether this caller owns the customer's rows (anyone does in lab mode). */
export function isOwner(principal: Principal, customerId: string): boolean {
  return principal.anonymous === true || principal.subject === customerId;
}

/** Whether this caller sees every customer's rows: managers and operators do. */
export function canSeeAll(principal: Principal): boolean {
  return principal.roles.includes("manager") || principal.roles.includes("operator");
}
