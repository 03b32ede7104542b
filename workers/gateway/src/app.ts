import { Hono, type Context, type MiddlewareHandler } from "hono";
import { authenticate, type AuthEnv, type AuthenticateOptions } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { DEAD_LETTERS_PATH } from "@rentalnang/shared/dead-letters/dead-letter-routes";
import { INVARIANTS_PATH } from "@rentalnang/shared/invariant-facts/facts";
import { accessLog } from "@rentalnang/shared/http/access-log";
import { requestLogContext } from "@rentalnang/shared/http/request-context";
import type { Health } from "@rentalnang/shared/http/health";
import { onError, problemJson } from "@rentalnang/shared/http/problem";
import { MAX_BODY_BYTES } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import { deadLettersFanOut } from "./admin/dead-letters-fan-out.ts";
import { invariantsFanOut } from "./admin/invariants-fan-out.ts";
import { apiReference } from "./api-reference/api-reference.ts";
import { securityHeaders } from "./edge/security-headers.ts";
import { clientOf, type VerificationEnv } from "./rate-limit/client-of.ts";
import { rateLimit } from "./rate-limit/rate-limit.ts";
import type { RateLimiter } from "./rate-limit/rate-limiter.ts";
import { forward } from "./routing/proxy.ts";
import { ROUTES } from "./routing/routes.ts";
import type { Upstreams } from "./routing/upstreams.ts";
import { webAuthRoutes, type WebAuthDeps } from "./web/auth/sign-in.routes.ts";
import { csrfProtection } from "./web/session/csrf.ts";
import { sessionBearer, under } from "./web/session/session-bearer.ts";
import { webSession } from "./web/session/session-middleware.ts";
import type { WebSessionEnv } from "./web/session/web-session.ts";
import { webPages } from "./web/web-pages.ts";

const BOARD_PREFIX = "/admin/queues";

export interface AppDeps {
  /** The workers' pools, one each: the proxy, the fan-outs and the pages all ask through them. */
  upstreams: Upstreams;
  timeoutMs: number;
  health: Health;
  logger: Logger;
  metrics: Metrics;
  /** How callers are known: the issuer's tokens, or the lab mode (AUTH=off). */
  auth: AuthenticateOptions;
  /** Counts each client's requests (RATE_LIMIT_PER_SECOND); without one, nothing is limited. */
  rateLimiter?: RateLimiter | undefined;
  /** TRUST_PROXY: the forwarded address and protocol come from a proxy in front. */
  trustProxy?: boolean;
  /** PUBLIC_URL: an https origin turns HSTS on for every response. */
  publicUrl?: string;
  /** The web pages' sign-in and sessions (identity's gateway client, the session store); without it the gateway serves the API only. */
  web?: Omit<WebAuthDeps, "cookies" | "logger">;
}

/**
 * The single entry point: request ids, security headers, body limit, health, the rate
 * limit, the token check, the operators' surfaces (/metrics, /admin/dead-letters,
 * /admin/invariants), routing
 * by prefix, problems for the rest. A bad token is refused here already (each worker checks
 * it again: a request that reaches a worker directly meets the same rules); the board is
 * left to delivery, which also takes its break-glass basic credentials.
 */
export function createApp({ upstreams, timeoutMs, health, logger, metrics, auth, rateLimiter, trustProxy = false, publicUrl = "", web }: AppDeps) {
  const app = new Hono<AuthEnv & VerificationEnv & WebSessionEnv & { Variables: { requestId: string } }>();
  app.use(requestId());
  app.use(requestLogContext());
  app.use(accessLog({ logger }));
  app.use(metrics.middleware());
  app.use(securityHeaders({ trustProxy, publicUrl }));
  app.use(bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problemJson(413, "Payload Too Large", `The body must be at most ${MAX_BODY_BYTES} bytes.`, {}, { "X-Request-Id": c.get("requestId") }),
  }));
  health.routes(app);
  const cookies = { publicUrl, trustProxy };
  if (web) {
    // A browser's session cookie stands for a token: refused cross-site, and on the operators'
    // surfaces turned into the session's bearer token before the rate limit and the token check.
    app.use(webSession({ store: web.sessions, cookies, logger }));
    app.use(csrfProtection({ publicUrl, originOnly: under(BOARD_PREFIX) }));
    app.use(sessionBearer((path) => under(BOARD_PREFIX)(path) || under(DEAD_LETTERS_PATH)(path)));
  }
  if (rateLimiter) app.use(rateLimit(rateLimiter, clientOf(auth, trustProxy)));
  // Open like the health routes: reading the API's description needs no token.
  app.route("/", apiReference());
  // Open too: signing in is how a person gets a session.
  if (web) app.route("/", webAuthRoutes({ ...web, cookies, logger }));
  // The pages: open (signed out, `/` says welcome), each checks its own role and calls the workers with the session's token.
  if (web) app.route("/", webPages({ upstreams, timeoutMs, logger, cookies }));
  app.use(authenticateUnlessBoard(auth));
  // The gateway's own metrics are the operators'; Prometheus scrapes the workers on their ports.
  app.use("/metrics", requireRole("operator"));
  metrics.routes(app);
  app.route(DEAD_LETTERS_PATH, deadLettersFanOut({ upstreams, timeoutMs, logger }));
  app.route(INVARIANTS_PATH, invariantsFanOut({ upstreams, timeoutMs, logger }));
  const handler = forward({ upstreams, timeoutMs, logger });
  for (const route of ROUTES) {
    app.all(route.prefix, handler);
    app.all(`${route.prefix}/*`, handler);
  }
  app.notFound((c) => problemJson(404, "Not Found", `No route for ${c.req.method} ${c.req.path}.`, {}, { "X-Request-Id": c.get("requestId") }));
  app.onError(onError(logger));
  return app;
}

/** The token check, except on the board (delivery checks it); a token the rate limit verified already is not verified again. */
function authenticateUnlessBoard(auth: AuthenticateOptions): MiddlewareHandler<AuthEnv & VerificationEnv> {
  const checkToken = authenticate(auth);
  const onBoard = under(BOARD_PREFIX);
  return async function authenticateUnlessBoardOrKnown(c, next) {
    if (onBoard(c.req.path)) return next();
    const verification = c.get("verification");
    if (!verification) return checkToken(c as unknown as Context<AuthEnv>, next);
    c.set("principal", await verification);
    await next();
  };
}
