import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { onError } from "../../http/problem.ts";
import { createLogger } from "../../log/logger.ts";
import { authenticate, type AuthEnv, type AuthMode } from "../authenticate/authenticate.ts";
import type { Principal, Role } from "../principal.ts";
import { requireRole } from "./require-role.ts";

/** A verifier that believes every token: the token is the role list, dot-separated. */
const believer = {
  verify: async (token: string): Promise<Principal> => ({ subject: "someone", roles: token.split(".").filter(Boolean) as Role[], clientId: undefined }),
};

function app(mode: AuthMode = "on") {
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requestId());
  app.onError(onError(createLogger("test", "silent")));
  app.use(authenticate({ verifier: believer, mode }));
  app.get("/deliveries", requireRole("manager"), (c) => c.json([]));
  app.get("/rentals/1", requireRole("customer", "manager", "operator"), (c) => c.json({}));
  return app;
}

const asRoles = (roles: string, mode: AuthMode = "on") =>
  app(mode).request("/deliveries", { headers: { Authorization: `Bearer ${roles || "none"}` } });

describe("requireRole", () => {
  test("a caller without the role gets a 403 problem naming it", async () => {
    const res = await asRoles("customer.operator");
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toStartWith("application/problem+json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toMatchObject({ status: 403, title: "Forbidden", detail: "This needs the role manager." });
  });

  test("a caller with the role passes", async () => {
    expect((await asRoles("customer.manager")).status).toBe(200);
  });

  test("a caller without any role gets 403 even where every role may go", async () => {
    const res = await app().request("/rentals/1", { headers: { Authorization: "Bearer none" } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ detail: "This needs one of the roles customer, manager, operator." });
  });

  test("the lab mode's anonymous caller has every role", async () => {
    expect((await asRoles("", "off")).status).toBe(200);
  });
});
