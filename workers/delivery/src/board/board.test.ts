import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import type { AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import type { Principal, Role } from "@rentalnang/shared/auth/principal";
import { onError } from "@rentalnang/shared/http/problem";
import { createLogger } from "@rentalnang/shared/log/logger";
import { BOARD_PATH, boardRoutes, type BoardOptions } from "./board.ts";

/** A verifier that believes every token: the token is the role list, dot-separated. */
const believer: AuthenticateOptions = {
  mode: "on",
  verifier: { verify: async (token: string): Promise<Principal> => ({ subject: "someone", roles: token.split(".") as Role[], clientId: undefined }) },
};

/** The board inside an app that answers errors as problems, as delivery's does. */
function board(options: Omit<BoardOptions, "queues">, authorization?: string) {
  const app = new Hono();
  app.onError(onError(createLogger("board-test", "silent")));
  app.route("/", boardRoutes({ queues: [], ...options }));
  return app.request("/", { headers: authorization ? { Authorization: authorization } : {} });
}

describe("queue board", () => {
  test("without credentials configured it stays shut and says why", async () => {
    for (const creds of [{}, { user: "admin" }, { password: "pw" }]) {
      const res = await boardRoutes({ queues: [], ...creds }).request("/");
      expect(res.status).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(((await res.json()) as { detail: string }).detail).toContain("set BOARD_USER and BOARD_PASSWORD");
    }
  });

  test("with credentials it asks for them", async () => {
    const res = await boardRoutes({ queues: [], user: "admin", password: "pw" }).request("/");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toStartWith("Basic");
  });

  test("operators come in with a token; other roles get 403, no token 401 with a Bearer challenge", async () => {
    expect((await board({ auth: believer }, "Bearer operator")).status).toBe(200);
    expect((await board({ auth: believer }, "Bearer manager.customer")).status).toBe(403);
    const anonymous = await board({ auth: believer });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toStartWith("Bearer");
  });

  test("the board's page links nothing from another origin (bull-board's Google Fonts are dropped)", async () => {
    const res = await board({ auth: believer }, "Bearer operator");
    expect(res.headers.get("content-type")).toStartWith("text/html");
    const page = await res.text();
    expect(page).toContain("static/js/");
    expect(page).not.toMatch(/(?:href|src)="https?:/);
  });

  test("mounted at its path, it serves its page, its API and its page's scripts (bull-board loaded on the first request)", async () => {
    const app = new Hono();
    app.route(BOARD_PATH, boardRoutes({ queues: [], auth: believer }));
    const headers = { Authorization: "Bearer operator" };
    const page = await (await app.request(BOARD_PATH, { headers })).text();
    expect(page).toContain(`<base href="${BOARD_PATH}/"`);
    const script = /src="(static\/js\/[^"]+)"/.exec(page)?.[1];
    expect(script).toBeString();
    const served = await app.request(`${BOARD_PATH}/${script}`, { headers });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toContain("javascript");
    expect(await (await app.request(`${BOARD_PATH}/api/queues`, { headers })).json()).toMatchObject({ queues: [] });
  });

  test("with break-glass credentials set too, a token still works and basic auth is the fallback", async () => {
    const both = { auth: believer, user: "admin", password: "pw" };
    expect((await board(both, "Bearer operator")).status).toBe(200);
    expect((await board(both, "Bearer customer")).status).toBe(403);
    expect((await board(both, `Basic ${btoa("admin:pw")}`)).status).toBe(200);
    expect((await board(both, `Basic ${btoa("admin:wrong")}`)).status).toBe(401);
  });
});
