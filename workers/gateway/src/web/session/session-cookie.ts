import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { cameOverTls } from "../../edge/security-headers.ts";

/** The web session's cookie; over TLS it carries the `__Host-` prefix (Secure, Path=/, no Domain). */
export const SESSION_COOKIE = "rentalnang-session";

/** A sign-in under way: the browser's half of its state, so a callback completes only the sign-in this browser began. */
export const SIGN_IN_COOKIE = "rentalnang-sign-in";

export interface CookieSecurity {
  /** PUBLIC_URL: an https origin means every browser comes over TLS. */
  publicUrl: string;
  /** TRUST_PROXY: a proxy's X-Forwarded-Proto says whether this request came over TLS. */
  trustProxy: boolean;
}

/** Whether this request's cookies are Secure (and so `__Host-`): PUBLIC_URL is https, or the request came over TLS. */
export function secureCookies(c: Context, { publicUrl, trustProxy }: CookieSecurity): boolean {
  return publicUrl.startsWith("https:") || cameOverTls(c, trustProxy);
}

/** A cookie's name as set and read: `__Host-<name>` when Secure. */
const cookieName = (name: string, secure: boolean) => (secure ? `__Host-${name}` : name);

/**
 * The flags of every cookie the gateway sets: HttpOnly (no script reads it), SameSite=Lax
 * (not sent with cross-site POSTs or subresources; sent when a person follows a link here,
 * so the callback from identity carries it), Path=/, Secure over TLS.
 */
export function cookieOptions(secure: boolean, maxAgeSeconds: number): CookieOptions {
  return { httpOnly: true, sameSite: "Lax", secure, path: "/", maxAge: Math.max(0, Math.floor(maxAgeSeconds)) };
}

/** A small cookie jar over Hono's helpers, with the name and flags above. */
export function cookieJar(c: Context, security: CookieSecurity) {
  const secure = secureCookies(c, security);
  return {
    read: (name: string) => getCookie(c, cookieName(name, secure)),
    write: (name: string, value: string, maxAgeSeconds: number) => setCookie(c, cookieName(name, secure), value, cookieOptions(secure, maxAgeSeconds)),
    clear: (name: string) => void deleteCookie(c, cookieName(name, secure), { path: "/", secure }),
  };
}
