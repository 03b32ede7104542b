import type { Role } from "@rentalnang/shared/auth/principal";

/**
 * A person signed in to the web pages. The gateway keeps it server-side (Redis, see
 * session-store.ts); the browser holds only the session's random id in an HttpOnly cookie,
 * never the access token.
 */
export interface WebSession {
  /** Random id, the cookie's value and the store's key. */
  id: string;
  /** The account (token subject). */
  subject: string;
  roles: Role[];
  /** The access token the gateway forwards upstream on the person's behalf. */
  accessToken: string;
  /** The value every unsafe form or fetch must echo in `_csrf` or `X-CSRF-Token`. */
  csrfToken: string;
  /** Epoch milliseconds: when the access token, and so the session, ends. */
  expiresAt: number;
}

/** Hono env for apps that read the web session (`c.var.webSession`, undefined when signed out). */
export type WebSessionEnv = { Variables: { webSession?: WebSession } };
