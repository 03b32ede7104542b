import type { Context, MiddlewareHandler } from "hono";
import { Forbidden } from "@rentalnang/shared/auth/errors";
import type { WebSessionEnv } from "./web-session.ts";

/** The form field and header carrying the CSRF token. */
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

export interface CsrfOptions {
  /** PUBLIC_URL: the one origin whose pages may send unsafe requests with the session cookie. */
  publicUrl: string;
  /**
   * Paths whose callers cannot send our token (the queue board's own scripts): only the
   * Origin is checked there.
   */
  originOnly?: (path: string) => boolean;
}

/** Whether a request's Origin header names exactly the gateway's public origin. */
export function isSameOrigin(originHeader: string | undefined, publicUrl: string): boolean {
  if (!originHeader || originHeader === "null" || !URL.canParse(originHeader)) return false;
  return new URL(originHeader).origin === new URL(publicUrl).origin;
}

/** Compares two tokens in time independent of where they differ. */
export function tokensMatch(sent: string | undefined, expected: string): boolean {
  if (typeof sent !== "string" || sent.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < sent.length; i++) diff |= sent.charCodeAt(i) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** The token a request sends: the header, else the form field (read from a copy: the body stays whole for the handler or the proxy). */
async function sentToken(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  if (!FORM_TYPES.test(c.req.header("content-type") ?? "")) return undefined;
  const form = await c.req.raw.clone().formData().catch(() => undefined);
  const field = form?.get(CSRF_FIELD);
  return typeof field === "string" ? field : undefined;
}

/**
 * Refuses cross-site requests made with the session cookie. An unsafe request (not GET,
 * HEAD, OPTIONS) that the web session authenticates (it has a session and no Authorization
 * header of its own) must come from a page of the gateway's public origin (Origin header)
 * and echo the session's token in the `_csrf` form field or the `X-CSRF-Token` header.
 * Anything else is a 403 problem. Requests with a bearer token, or without a session, pass:
 * a cross-site page can set neither a token nor our cookie's value.
 */
export function csrfProtection({ publicUrl, originOnly = () => false }: CsrfOptions): MiddlewareHandler<WebSessionEnv> {
  return async function checkCsrf(c, next) {
    const session = c.var.webSession;
    if (SAFE_METHODS.has(c.req.method) || !session || c.req.header("Authorization")) return next();
    if (!isSameOrigin(c.req.header("Origin"), publicUrl)) {
      throw new Forbidden("A signed-in request must come from this site's own pages (Origin).");
    }
    if (!originOnly(c.req.path) && !tokensMatch(await sentToken(c), session.csrfToken)) {
      throw new Forbidden(`A signed-in form must carry its ${CSRF_FIELD} token; reload the page and try again.`);
    }
    await next();
  };
}
