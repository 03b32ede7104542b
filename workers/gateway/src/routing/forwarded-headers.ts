import type { Context } from "hono";
import { peerAddress } from "@rentalnang/shared/http/client-address";

/**
 * Headers that describe one connection, not the request (RFC 9110, section 7.6.1): a proxy
 * never forwards them, nor the ones the client's `Connection` header names. `host` is set
 * from the upstream's URL.
 */
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
  "te", "trailer", "transfer-encoding", "upgrade", "host",
]);

/** What the gateway sends upstream: the client's end-to-end headers plus where the request came from. */
export function forwardedHeaders(c: Context, requestId: string): Headers {
  const incoming = c.req.raw.headers;
  const named = new Set((incoming.get("connection") ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean));
  const headers = new Headers();
  for (const [name, value] of incoming) {
    if (!HOP_BY_HOP.has(name) && !named.has(name)) headers.append(name, value);
  }
  const peer = peerAddress(c);
  const prior = incoming.get("x-forwarded-for");
  if (peer) headers.set("x-forwarded-for", prior ? `${prior}, ${peer}` : peer);
  headers.set("x-request-id", requestId);
  const host = incoming.get("host");
  if (host) headers.set("x-forwarded-host", host);
  headers.set("x-forwarded-proto", new URL(c.req.url).protocol.replace(":", ""));
  return headers;
}
