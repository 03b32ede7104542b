import type { Context } from "hono";
import { getConnInfo } from "hono/bun";

/** The peer of the connection (unknown without a socket, as in app.request()). */
export function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The client's address. Behind a trusted proxy (TRUST_PROXY=on) the peer is the proxy
 * itself, so the address it appended last to X-Forwarded-For is taken: the entries before it
 * come from the client and could be anything.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim() : undefined;
  return forwarded || peerAddress(c) || "unknown";
}
