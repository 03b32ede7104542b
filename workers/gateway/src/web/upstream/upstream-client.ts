import type { Context } from "hono";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import { routeFor } from "../../routing/routes.ts";
import type { UpstreamOptions } from "../../routing/upstreams.ts";
import type { WebSessionEnv } from "../session/web-session.ts";

/** A worker's answer as the pages read it; a worker that could not be reached is a 502 or 504 here. */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  /** The JSON body, when there is one. */
  body: T | undefined;
  /** The worker that answered (or did not). */
  upstream: WorkerName;
}

export interface CallOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  headers?: Record<string, string>;
  /** The worker to ask; by default the one the gateway routes the path to (routing/routes.ts). */
  upstream?: WorkerName;
}

/** A request of the gateway's pages: its request id, and its web session when signed in. */
type PageContext = Context<WebSessionEnv & { Variables: { requestId: string } }>;

/**
 * The pages' calls to the workers, made server-side with the signed-in person's access token:
 * the proxy's upstream pools and timeout (routing/upstreams.ts), the request id carried on.
 * The browser never sees the token.
 */
export class UpstreamClient {
  constructor(private readonly options: UpstreamOptions) {}

  /** Calls `path` (with its query) on its worker on behalf of the request's web session. */
  async call<T = unknown>(c: Context, path: string, o: CallOptions = {}): Promise<Answer<T>> {
    const upstream = o.upstream ?? routeFor(path.split("?")[0]!)?.upstream;
    if (!upstream) throw new Error(`no upstream serves ${path}`);
    const page = c as PageContext;
    const headers = new Headers({ accept: "application/json", "x-request-id": page.get("requestId"), ...o.headers });
    const token = page.var.webSession?.accessToken;
    if (token) headers.set("authorization", `Bearer ${token}`);
    if (o.json !== undefined) headers.set("content-type", "application/json");
    const init: RequestInit = { method: o.method ?? "GET", headers, signal: this.signal(c) };
    if (o.json !== undefined) init.body = JSON.stringify(o.json);
    try {
      const res = await this.options.upstreams[upstream].attempt((base) => fetch(new URL(path, base), init));
      return { status: res.status, headers: res.headers, body: await jsonOf<T>(res), upstream };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      this.options.logger.warn({ upstream, err: error }, "web page: upstream failed");
      return { status: timedOut ? 504 : 502, headers: new Headers(), body: undefined, upstream };
    }
  }

  /** The timeout, and the browser going away (a parked long poll need not wait on for nobody). */
  private signal(c: Context): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    return c.req.raw.signal ? AbortSignal.any([timeout, c.req.raw.signal]) : timeout;
  }
}

async function jsonOf<T>(res: Response): Promise<T | undefined> {
  if (!/json/i.test(res.headers.get("content-type") ?? "")) {
    await res.body?.cancel();
    return undefined;
  }
  return (await res.json().catch(() => undefined)) as T | undefined;
}
