import { Hono, type Context } from "hono";
import { authenticate, type AuthEnv, type AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { accessLog } from "@rentalnang/shared/http/access-log";
import { requestLogContext } from "@rentalnang/shared/http/request-context";
import type { Health } from "@rentalnang/shared/http/health";
import { onError, problemJson } from "@rentalnang/shared/http/problem";
import { MAX_BODY_BYTES } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import { forward } from "./routing/proxy.ts";
import { ROUTES, type Upstream } from "./routing/routes.ts";

const BOARD_PREFIX = "/admin/queues";

export interface AppDeps {
  upstreams: Record<Upstream, string | readonly string[]>;
  timeoutMs: number;
  health: Health;
  logger: Logger;
  metrics: Metrics;
  /** How callers are known: the issuer's tokens, or the lab mode (AUTH=off). */
  auth: AuthenticateOptions;
}

/**
 * The single entry point: request ids, body limit, routing by prefix, problems for the rest.
 * A bad token is refused here already (each worker checks it again: a request that reaches a
 * worker directly meets the same rules); the board is left to delivery, which also takes its
 * break-glass basic credentials.
 */
export function createApp({ upstreams, timeoutMs, health, logger, metrics, auth }: AppDeps) {
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requestId());
  app.use(requestLogContext());
  app.use(accessLog({ logger }));
  app.use(metrics.middleware());
  app.use(bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problemJson(413, "Payload Too Large", `The body must be at most ${MAX_BODY_BYTES} bytes.`, {}, { "X-Request-Id": c.get("requestId") }),
  }));
  health.routes(app);
  metrics.routes(app);
  const checkToken = authenticate(auth);
  app.use(async function authenticateUnlessBoard(c, next) {
    if (c.req.path === BOARD_PREFIX || c.req.path.startsWith(`${BOARD_PREFIX}/`)) return next();
    return checkToken(c as unknown as Context<AuthEnv>, next);
  });
  const handler = forward({ upstreams, timeoutMs, logger });
  for (const route of ROUTES) {
    app.all(route.prefix, handler);
    app.all(`${route.prefix}/*`, handler);
  }
  app.notFound((c) => problemJson(404, "Not Found", `No route for ${c.req.method} ${c.req.path}.`, {}, { "X-Request-Id": c.get("requestId") }));
  app.onError(onError(logger));
  return app;
}
