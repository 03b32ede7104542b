import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hook } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import type { Logger } from "../log/logger.ts";
import { accessLog } from "./access-log.ts";
import { requestLogContext } from "./request-context.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { Health } from "./health.ts";
import { onError, problemJson, ValidationFailed } from "./problem.ts";

export const MAX_BODY_BYTES = 64 * 1024;

/** The OpenAPI security scheme every described operation requires: an access token (JWT). */
const BEARER_SCHEME = "bearerAuth";

export type AppEnv = { Variables: { requestId: string } };

/**
 * Turns a failed zod validation into a 400 problem listing each field. It must be set on
 * every OpenAPIHono that declares routes: the default hook does not carry to sub-apps.
 */
const validationHook: Hook<any, AppEnv, any, any> = (result) => {
  if (!result.success) throw validationFailed(result.error.issues, "(body)");
};

/** A failed zod validation as the 400 problem listing each field; `whole` names what an issue without a path is about. */
export function validationFailed(issues: readonly { path: PropertyKey[]; code: string; message: string }[], whole: string): ValidationFailed {
  const errors = issues.map((i) => ({ path: i.path.join(".") || whole, message: messageOf(i) }));
  return new ValidationFailed(errors, `${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}.`);
}

/** zod's default words for a wrong type ("Invalid input: expected string, received undefined"), said plainly. */
function messageOf(issue: { code: string; message: string }): string {
  const wrongType = issue.code === "invalid_type" && /^Invalid input: expected (\w+), received (\w+)$/.exec(issue.message);
  if (!wrongType) return issue.message;
  return wrongType[2] === "undefined" ? "required" : `must be a ${wrongType[1]}, not a ${wrongType[2]}`;
}

export function newRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}

/** The parts of a worker's app that the frame itself uses; a worker's AppDeps extends it. */
export interface ServiceFrame {
  logger: Logger;
  health: Health;
  metrics: Metrics;
}

/**
 * The frame every worker's app sits in: request ids, access log, body limits, media types,
 * health and metrics routes, 404/405/5xx as problem+json, and the OpenAPI description at
 * /openapi.json.
 */
export function createServiceApp(name: string, { logger, health, metrics }: ServiceFrame) {
  const app = newRouter();
  app.use(requestId());
  app.use(requestLogContext());
  app.use(accessLog({ logger }));
  app.use(metrics.middleware());
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      problemJson(405, "Method Not Allowed", `${c.req.method} is not allowed here; use ${methods.join(", ")}.`, {}, {
        Allow: methods.join(", "),
        "X-Request-Id": c.get("requestId"),
      }),
  }));
  app.use(bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problemJson(413, "Payload Too Large", `The body must be at most ${MAX_BODY_BYTES} bytes.`, {}, {
      "X-Request-Id": c.get("requestId"),
    }),
  }));
  app.use(async function jsonOnly(c, next) {
    const hasBody = c.req.header("content-length") !== undefined && c.req.header("content-length") !== "0"
      || c.req.header("transfer-encoding") !== undefined;
    if (["POST", "PUT", "PATCH"].includes(c.req.method) && hasBody) {
      const type = c.req.header("content-type") ?? "";
      if (!/^application\/(.+\+)?json\b/i.test(type)) {
        return problemJson(415, "Unsupported Media Type", "Send the body as application/json.", {}, {
          "X-Request-Id": c.get("requestId"),
        });
      }
    }
    await next();
  });
  app.onError(onError(logger));
  app.notFound((c) =>
    problemJson(404, "Not Found", `No route for ${c.req.method} ${c.req.path}.`, {}, { "X-Request-Id": c.get("requestId") }),
  );
  health.routes(app);
  metrics.routes(app);
  // Every operation described here needs a bearer token: the routes above (health, metrics,
  // this document) are not described, and the worker's app authenticates after them.
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_SCHEME, { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: `rentalnang ${name}`, version: "1.0.0" },
    security: [{ [BEARER_SCHEME]: [] }],
  });
  return app;
}
