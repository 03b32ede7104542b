import type { Context, MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** A year, with subdomains: the usual HSTS policy once a site is HTTPS only. */
const HSTS = "max-age=31536000; includeSubDomains";

/**
 * The Content-Security-Policy of every response: only the gateway's own origin, no framing,
 * no plugins. Inline styles are allowed for the queue board's markup. Web pages served here
 * later extend these directives rather than replace them.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export interface SecurityHeadersOptions {
  /** TRUST_PROXY: X-Forwarded-Proto comes from a proxy that terminated TLS. */
  trustProxy: boolean;
  /** PUBLIC_URL: an https origin means every client comes over TLS. */
  publicUrl: string;
}

/**
 * hono/secure-headers on every response (nosniff, DENY framing, no referrer to another site, the CSP above),
 * and HSTS only on a response to a request that came over TLS: a browser ignores it over
 * plain HTTP, and a local http:// gateway must stay usable.
 */
export function securityHeaders({ trustProxy, publicUrl }: SecurityHeadersOptions): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: "DENY",
    // Not "no-referrer": under it a browser sends `Origin: null` with a form's POST, even to
    // its own site, and the pages' forms must show their origin (csrfProtection).
    referrerPolicy: "same-origin",
    xContentTypeOptions: "nosniff",
    strictTransportSecurity: false,
  });
  const publicTls = publicUrl.startsWith("https:");
  return async function setSecurityHeaders(c, next) {
    await headers(c, next);
    if (publicTls || cameOverTls(c, trustProxy)) c.res.headers.set("Strict-Transport-Security", HSTS);
  };
}

/** Whether a request came over TLS: its own URL, or (TRUST_PROXY) the proxy's X-Forwarded-Proto. */
export function cameOverTls(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustProxy && c.req.header("x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase() === "https";
}
