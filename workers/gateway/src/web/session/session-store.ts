import { z } from "zod";
import { Role } from "@rentalnang/shared/auth/principal";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { webSessionKey } from "@rentalnang/shared/topology/redis-keys";
import type { WebSession } from "./web-session.ts";

/** A session's id and CSRF token: 32 random bytes, base64url (43 characters). */
export const randomToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/** The shape of a `randomToken`; a cookie value of any other shape is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const StoredSession = z.object({
  id: z.string(),
  subject: z.string(),
  roles: z.array(Role),
  accessToken: z.string(),
  csrfToken: z.string(),
  expiresAt: z.number(),
}) satisfies z.ZodType<WebSession>;

/** Where the gateway keeps web sessions, shared by its replicas. */
export interface SessionStore {
  /** The live session with this id; undefined when unknown or expired. */
  find(id: string): Promise<WebSession | undefined>;
  /** Keeps a session until its `expiresAt`. */
  save(session: WebSession): Promise<void>;
  /** Ends a session at once (signing out). */
  end(id: string): Promise<void>;
}

/**
 * Sessions in Redis as JSON under `webSessionKey`, each expiring with its access token, so
 * every gateway replica sees the same sessions and an ended one is gone for all of them.
 */
export function redisSessionStore(redis: Redis, prefix: string): SessionStore {
  return {
    async find(id) {
      if (!TOKEN_SHAPE.test(id)) return undefined;
      const text = await redis.get(webSessionKey(prefix, id));
      if (!text) return undefined;
      const parsed = StoredSession.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.expiresAt > Date.now() ? parsed.data : undefined;
    },
    async save(session) {
      const ttl = session.expiresAt - Date.now();
      if (ttl <= 0) return;
      await redis.set(webSessionKey(prefix, session.id), JSON.stringify(session), "PX", ttl);
    },
    async end(id) {
      if (TOKEN_SHAPE.test(id)) await redis.del(webSessionKey(prefix, id));
    },
  };
}
