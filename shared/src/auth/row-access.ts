import { canSeeAll, isOwner, type Principal } from "./principal.ts";
import { Forbidden } from "./errors.ts";

/**
 * Rows that belong to a customer (rentals, payments, mypage rows): a customer sees only their
 * own, a manager or an operator all of them. Another customer's row is answered as if it did
 * not exist (404), so ids reveal nothing.
 */

/** Whether the caller may see a row of `customerId` (a row without a customer: only those who see all). */
export function maySee(principal: Principal, customerId: string | null): boolean {
  return canSeeAll(principal) || (customerId !== null && isOwner(principal, customerId));
}

/** The customer a list is filtered to: the caller themself unless they see all, else what they asked for. */
export function listedCustomer(principal: Principal, asked: string | undefined): string | undefined {
  return canSeeAll(principal) ? asked : principal.subject;
}

/**
 * The customer a new row is made for: the token's subject. A body naming someone else is 403;
 * the lab mode's anonymous caller names whom they like (or no one), as the original did.
 */
export function actingCustomer(principal: Principal, asked: string | null): string | null {
  if (principal.anonymous) return asked;
  if (asked !== null && asked !== principal.subject) {
    throw new Forbidden("customerId must be your own account (the token's subject), or left out.");
  }
  return principal.subject;
}

/** Who acted, as events record it: the token's subject; nobody known in lab mode. */
export function actorOf(principal: Principal): string | undefined {
  return principal.anonymous ? undefined : principal.subject;
}
