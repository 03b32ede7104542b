import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";

/** A Node request listener, as Koa's `app.callback()` returns. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface NodeExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** Settles with what the listener wrote into `res`, once it ends it. */
  response: Promise<Response>;
}

/**
 * Serves a Node request listener (oidc-provider, a Koa app) from a fetch handler, in process:
 * the fetch Request becomes an IncomingMessage, and what the listener writes into its
 * ServerResponse becomes the Response. Bun's own node:http server would need a second
 * port; this keeps one server, so the Hono app in front keeps its request ids, access log,
 * metrics, readiness and drain for every request. Bodies are buffered (the provider's are small).
 */
export function nodeExchange(request: Request, body: Uint8Array | undefined, remoteAddress: string | undefined): NodeExchange {
  const url = new URL(request.url);
  const socket = new Socket();
  Object.defineProperty(socket, "remoteAddress", { value: remoteAddress ?? "127.0.0.1" });
  const req = new IncomingMessage(socket);
  Object.defineProperty(req, "socket", { value: socket });
  req.method = request.method;
  req.url = url.pathname + url.search;
  req.headers = Object.fromEntries(request.headers);
  if (body && body.length > 0) req.push(Buffer.from(body));
  req.push(null);
  const res = new ServerResponse(req);
  return { req, res, response: captured(request.method, res) };
}

/** Replaces the response's writing methods: what would go to the socket is collected instead. */
function captured(method: string, res: ServerResponse): Promise<Response> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const collect = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array));
    };
    const callback = (...args: unknown[]) => {
      const last = args.findLast((a) => typeof a === "function") as (() => void) | undefined;
      if (last) queueMicrotask(last);
    };
    let ended = false;
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      res.statusCode = status;
      const headers = rest.find((r) => typeof r === "object" && r !== null) as Record<string, string> | undefined;
      for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
      return res;
    }) as typeof res.writeHead;
    res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding);
      callback(encoding, cb);
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
      collect(chunk, encoding);
      callback(chunk, encoding, cb);
      if (ended) return res;
      ended = true;
      resolve(toResponse(method, res, Buffer.concat(chunks)));
      queueMicrotask(() => {
        res.emit("finish");
        res.emit("close");
      });
      return res;
    }) as typeof res.end;
  });
}

function toResponse(method: string, res: ServerResponse, body: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
  }
  const empty = method === "HEAD" || res.statusCode === 204 || res.statusCode === 304;
  return new Response(empty ? null : body, { status: res.statusCode, statusText: res.statusMessage || undefined, headers });
}

/** A fetch handler that runs `listener` for every request (see nodeExchange). */
export function fetchHandlerOf(listener: NodeListener) {
  return async (request: Request, remoteAddress?: string): Promise<Response> => {
    const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const exchange = nodeExchange(request, body, remoteAddress);
    // A listener that throws instead of answering rejects here (the app's error handler answers).
    const handled = Promise.resolve(listener(exchange.req, exchange.res)).then(() => exchange.response);
    return Promise.race([exchange.response, handled]);
  };
}
