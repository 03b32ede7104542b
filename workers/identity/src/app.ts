import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import type { Provider } from "oidc-provider";
import type { Database } from "@rentalnang/shared/db/database";
import { accessLog } from "@rentalnang/shared/http/access-log";
import type { Health } from "@rentalnang/shared/http/health";
import { onError, problemJson } from "@rentalnang/shared/http/problem";
import { requestLogContext } from "@rentalnang/shared/http/request-context";
import { MAX_BODY_BYTES } from "@rentalnang/shared/http/service-app";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Metrics } from "@rentalnang/shared/observability/metrics";
import type { Passwords } from "./accounts/passwords.ts";
import { devTokenRouter } from "./dev-token/dev-token.handlers.ts";
import { fetchHandlerOf } from "./provider/node-bridge.ts";
import type { AttemptLimiter } from "./sign-in/attempt-limiter.ts";
import { peerAddress } from "@rentalnang/shared/http/client-address";
import { signInRouter } from "./sign-in/sign-in.handlers.ts";

export interface AppDeps {
  provider: Provider;
  db: Database;
  passwords: Passwords;
  limits: { account: AttemptLimiter; address: AttemptLimiter };
  trustProxy: boolean;
  audience: string;
  /** POST /dev/token exists (never in production). */
  devTokens: boolean;
  health: Health;
  logger: Logger;
  metrics: Metrics;
}

/**
 * The identity's HTTP app: the project's frame (request ids, access log, metrics, body limit,
 * /healthz, /readyz) around this worker's own pages and routes, with every other path handed
 * to oidc-provider (discovery, JWKS, authorization, token, ...).
 */
export function createApp(deps: AppDeps) {
  const { health, logger, metrics } = deps;
  const app = new Hono<{ Variables: { requestId: string } }>();
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
  app.route("/", signInRouter(deps));
  if (deps.devTokens) app.route("/", devTokenRouter(deps));
  const provider = fetchHandlerOf(deps.provider.callback());
  app.all("*", (c) => provider(c.req.raw, peerAddress(c)));
  app.onError(onError(logger));
  return app;
}
