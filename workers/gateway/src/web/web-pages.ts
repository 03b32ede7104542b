import { Hono } from "hono";
import type { UpstreamOptions } from "../routing/upstreams.ts";
import { assets } from "./assets/assets.ts";
import { languageRouter } from "./i18n/language.handlers.ts";
import { customerPages } from "./pages/customer/customer.handlers.tsx";
import { reservationPages } from "./pages/customer/reservation.handlers.tsx";
import { managerPages } from "./pages/manager/manager.handlers.tsx";
import { operatorPages } from "./pages/operator/operator.handlers.tsx";
import type { CookieSecurity } from "./session/session-cookie.ts";
import type { WebSessionEnv } from "./session/web-session.ts";
import { UpstreamClient } from "./upstream/upstream-client.ts";

/** The pages' calls to the workers (whose timeout bounds the longest a status waits at mypage), and their cookies. */
export interface WebPagesDeps extends UpstreamOptions {
  cookies: CookieSecurity;
}

/** mypage waits at most 5 s (`Prefer: wait`); the gateway's own call must outlast the wait by a second. */
const MAX_WAIT_SECONDS = 5;
const WAIT_MARGIN_MS = 1_000;

/** The live status's wait: mypage's longest, but a second under the upstream timeout (and at least one second). */
export const longPollSeconds = (timeoutMs: number) => Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.floor((timeoutMs - WAIT_MARGIN_MS) / 1000)));

/**
 * The web pages, server-rendered (Hono JSX) with a little htmx: `/` (customers), `/manager`,
 * `/operator`, the language switch and `/assets/…`. They read the web session that the
 * gateway's session middleware put in the context and call the workers with its token; the
 * gateway's csrfProtection guards their forms.
 */
export function webPages({ upstreams, timeoutMs, logger, cookies }: WebPagesDeps) {
  const files = assets();
  const deps = { client: new UpstreamClient({ upstreams, timeoutMs, logger }), assets: files, longPollSeconds: longPollSeconds(timeoutMs) };
  const app = new Hono<WebSessionEnv>();
  app.route("/", files.routes);
  app.route("/", languageRouter(cookies));
  app.route("/", customerPages(deps));
  app.route("/", reservationPages(deps));
  app.route("/", managerPages(deps));
  app.route("/", operatorPages({ ...deps, logger }));
  return app;
}
