import type { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { FetchIncomingMessage, toFetchResponse, toReqRes, type ReqRes } from "fetch-to-node";

/** A Node request listener, as Koa's `app.callback()` returns. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * Serves a Node request listener (oidc-provider, a Koa app) from a fetch handler, in process,
 * with fetch-to-node: the fetch Request becomes an IncomingMessage reading its body, and what
 * the listener writes into the ServerResponse becomes the Response. Bun's own node:http server
 * would need a second port; this keeps one server, so the Hono app in front keeps its request
 * ids, access log, metrics, readiness and drain for every request.
 *
 * fetch-to-node's request has no socket, but Koa reads the peer's address (`ctx.ip`) and
 * whether the connection is TLS (`ctx.protocol`, hence secure cookies) off `req.socket`:
 * the request here carries an unconnected socket that answers the client's address.
 */
export function nodeExchange(request: Request, remoteAddress: string | undefined): ReqRes {
  return toReqRes(request, { createIncomingMessage: () => incomingFrom(request, remoteAddress) });
}

function incomingFrom(request: Request, remoteAddress: string | undefined): FetchIncomingMessage {
  const req = new FetchIncomingMessage();
  // toReqRes sets the method only after it has made the response, which looks at it for
  // HEAD (no body): set here first.
  req.method = request.method;
  const socket = new Socket();
  Object.defineProperty(socket, "remoteAddress", { value: remoteAddress ?? "127.0.0.1" });
  // An own property in front of fetch-to-node's getter, which always answers null.
  Object.defineProperty(req, "socket", { value: socket });
  return req;
}

/** A fetch handler that runs `listener` for every request (see nodeExchange). */
export function fetchHandlerOf(listener: NodeListener) {
  return async (request: Request, remoteAddress?: string): Promise<Response> => {
    const { req, res } = nodeExchange(request, remoteAddress);
    const response = toFetchResponse(res);
    // A listener that throws instead of answering rejects here (the app's error handler answers).
    const handled = Promise.resolve(listener(req, res)).then(() => response);
    return Promise.race([response, handled]);
  };
}
