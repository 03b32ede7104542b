import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "../log/logger.ts";

export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error that is the client's to fix or the service's to explain: it becomes an RFC 9457
 * problem body with this status. `extra` members are added to the body (e.g. `rentalId`).
 */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export class NotFound extends HttpProblem {
  constructor(detail: string) {
    super(404, "Not Found", detail);
  }
}

export class Conflict extends HttpProblem {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, "Conflict", detail, extra);
  }
}

export class ValidationFailed extends HttpProblem {
  constructor(readonly errors: FieldError[], detail = "The request has invalid or missing fields.") {
    super(400, "Bad Request", detail, { errors });
  }
}

const TYPE_BASE = "https://rentalnang.dev/problems/";
const TITLES: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 413: "Payload Too Large" };
const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** An RFC 9457 problem body. */
export function problemBody(status: number, title: string, detail?: string, extra: Record<string, unknown> = {}) {
  return { type: `${TYPE_BASE}${slug(title)}`, title, status, ...(detail ? { detail } : {}), ...extra };
}

export function problemJson(
  status: number,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problemBody(status, title, detail, extra)), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}

function problemFrom(p: HttpProblem): Response {
  return problemJson(p.status, p.title, p.detail, p.extra, p.headers);
}

/** The one place errors become responses: typed problems as they are, anything else as 500. */
export function onError(logger: Logger) {
  return function handleError(error: Error, c: Context): Response {
    if (error instanceof HttpProblem) return withRequestId(c, problemFrom(error));
    if (error instanceof HTTPException) {
      const status = error.status;
      const title = TITLES[status] ?? "Error";
      // Keep the headers the exception's own response carries (WWW-Authenticate on a 401).
      const headers: Record<string, string> = {};
      error.getResponse().headers.forEach((value, name) => {
        if (name !== "content-type" && name !== "content-length") headers[name] = value;
      });
      return withRequestId(c, problemJson(status, title, error.message || undefined, {}, headers));
    }
    logger.error({ err: error }, "unhandled error");
    return withRequestId(c, problemJson(500, "Internal Server Error", "Something went wrong on our side."));
  };
}

function withRequestId(c: Context, response: Response): Response {
  const id = c.get("requestId");
  if (id) response.headers.set("X-Request-Id", id);
  return response;
}
