import type { Queue } from "bullmq";
import { Hono, type MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { routePath } from "hono/route";
import { authenticate, type AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { problemJson } from "@rentalnang/shared/http/problem";

export const BOARD_PATH = "/admin/queues";

export interface BoardOptions {
  queues: Queue[];
  /** Operators come with a token; without this, only the break-glass credentials open the board. */
  auth?: AuthenticateOptions | undefined;
  /** Break-glass basic auth, for when the identity provider cannot be used. */
  user?: string | undefined;
  password?: string | undefined;
}

/**
 * The BullMQ board (bull-board): it can retry and delete jobs and has no auth of its own, so
 * only operators reach it, by bearer token, or by the break-glass basic credentials when
 * BOARD_USER and BOARD_PASSWORD are set. With neither way configured it stays shut (503).
 * bull-board itself (its UI, its assets' routes: about 6 MB of the process's memory) is loaded
 * on the first request an operator makes, not when the process starts.
 */
export function boardRoutes({ queues, auth, user, password }: BoardOptions) {
  const app = new Hono();
  const breakGlass = user && password ? basicAuth({ username: user, password, realm: "rentalnang queues" }) : undefined;
  if (!auth && !breakGlass) {
    app.all("*", () =>
      problemJson(503, "Service Unavailable", "The queue board is disabled: set BOARD_USER and BOARD_PASSWORD to enable it."),
    );
    return app;
  }
  const board = lazily((mountedAt: string) => loadBoard(queues, mountedAt));
  app.use("*", boardAccess(auth, breakGlass));
  app.use("*", withoutRemoteFonts());
  app.all("*", async (c) => {
    // Where this app is mounted (BOARD_PATH in delivery): bull-board's routes see the whole path.
    const mountedAt = routePath(c).replace(/\/?\*$/, "");
    return (await board(mountedAt)).fetch(c.req.raw, c.env);
  });
  return app;
}

/** The first call starts `load`; later ones share it, or start it again after it failed. */
function lazily<A, T>(load: (arg: A) => Promise<T>): (arg: A) => Promise<T> {
  let loading: Promise<T> | undefined;
  return (arg) => (loading ??= load(arg).catch((error) => {
    loading = undefined;
    throw error;
  }));
}

/** bull-board's routes over the queues, at the path the board is mounted at, imported when first asked for. */
async function loadBoard(queues: Queue[], mountedAt: string): Promise<Hono> {
  const [{ createBullBoard }, { BullMQAdapter }, { HonoAdapter }, { serveStatic }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/hono"),
    import("hono/bun"),
  ]);
  const adapter = new HonoAdapter(serveStatic).setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  return new Hono().route(mountedAt || "/", adapter.registerPlugin());
}

/** bull-board's page links its fonts from Google: the board's own page loads nothing from another origin. */
const REMOTE_FONTS = /<link\b[^>]*\bhref="https:\/\/fonts\.googleapis\.com\/[^>]*>\s*/g;

/**
 * Drops those links from the board's HTML, so an operator's browser asks no third party (the
 * gateway's CSP would refuse it anyway, with an error in the console); the text falls back
 * to the system's fonts.
 */
function withoutRemoteFonts(): MiddlewareHandler {
  return async function dropRemoteFonts(c, next) {
    await next();
    if (!c.res.headers.get("Content-Type")?.startsWith("text/html")) return;
    const page = (await c.res.text()).replace(REMOTE_FONTS, "");
    const headers = new Headers(c.res.headers);
    headers.delete("Content-Length");
    c.res = new Response(page, { status: c.res.status, headers });
  };
}

/** A bearer token goes to the operator check; anything else to break-glass when it is set (a browser gets its Basic prompt). */
function boardAccess(auth: AuthenticateOptions | undefined, breakGlass: MiddlewareHandler | undefined): MiddlewareHandler {
  const signedIn = auth && authenticate(auth);
  const operator = requireRole("operator");
  return async function boardGate(c, next) {
    const bearer = /^bearer\s/i.test(c.req.header("Authorization") ?? "");
    if (breakGlass && !(bearer && signedIn)) return breakGlass(c, next);
    await signedIn!(c, () => operator(c, next) as Promise<void>);
  };
}
