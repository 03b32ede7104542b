import { describe, expect, test } from "bun:test";
import { ANONYMOUS, type Principal } from "./principal.ts";
import { actingCustomer, actorOf, listedCustomer, maySee } from "./row-access.ts";

const person = (subject: string, ...roles: Principal["roles"]): Principal => ({ subject, roles, clientId: "gateway" });
const c1 = person("c-1", "customer");
const manager = person("m-1", "manager");
const operator = person("o-1", "operator");

describe("row access", () => {
  test("a customer sees their own rows only; managers and operators every row, those without a customer too", () => {
    expect([maySee(c1, "c-1"), maySee(c1, "c-2"), maySee(c1, null)]).toEqual([true, false, false]);
    for (const who of [manager, operator, ANONYMOUS]) expect([maySee(who, "c-2"), maySee(who, null)]).toEqual([true, true]);
  });

  test("a customer's list is filtered to them whatever they ask; others get what they ask", () => {
    expect([listedCustomer(c1, undefined), listedCustomer(c1, "c-2")]).toEqual(["c-1", "c-1"]);
    expect([listedCustomer(manager, undefined), listedCustomer(manager, "c-2")]).toEqual([undefined, "c-2"]);
  });

  test("a new row is the subject's; naming another customer is 403; the lab mode names whom it likes", () => {
    expect([actingCustomer(c1, null), actingCustomer(c1, "c-1")]).toEqual(["c-1", "c-1"]);
    expect(() => actingCustomer(c1, "c-2")).toThrow(expect.objectContaining({ status: 403 }));
    expect([actingCustomer(ANONYMOUS, "c-2"), actingCustomer(ANONYMOUS, null)]).toEqual(["c-2", null]);
  });

  test("events name the subject who acted, and nobody in lab mode", () => {
    expect([actorOf(manager), actorOf(ANONYMOUS)]).toEqual(["m-1", undefined]);
  });
});
