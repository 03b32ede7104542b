import { describe, expect, test } from "bun:test";
import { ANONYMOUS, canSeeAll, isOwner, type Principal } from "./principal.ts";

const person = (subject: string, ...roles: Principal["roles"]): Principal => ({ subject, roles, clientId: "web" });

describe("principal", () => {
  test("a customer owns only rows of their own customer id", () => {
    expect(isOwner(person("c-1", "customer"), "c-1")).toBe(true);
    expect(isOwner(person("c-1", "customer"), "c-2")).toBe(false);
  });

  test("managers and operators see every customer's rows; customers do not", () => {
    expect(canSeeAll(person("m-1", "manager"))).toBe(true);
    expect(canSeeAll(person("o-1", "operator"))).toBe(true);
    expect(canSeeAll(person("c-1", "customer"))).toBe(false);
    expect(canSeeAll(person("rental"))).toBe(false);
  });

  test("the lab mode's anonymous caller owns every row and sees all", () => {
    expect(isOwner(ANONYMOUS, "c-9")).toBe(true);
    expect(canSeeAll(ANONYMOUS)).toBe(true);
  });

  test("a token whose subject is the word anonymous is not the lab mode's caller", () => {
    expect(isOwner(person("anonymous", "customer"), "c-1")).toBe(false);
  });
});
