import type { Context } from "hono";
import { UpstreamPool } from "@rentalnang/shared/http/upstream-pool";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import { routeFor } from "../../routing/routes.ts";
import type { WebSessionEnv } from "../session/web-session.ts";

export interface UpstreamClientOptions {
  /** The gateway's upstreams (each one URL, or its replicas' URLs asked in turn). */
  upstreams: Record<WorkerName, string | readonly string[]>;
  /** UPSTREAM_TIMEOUT_MS: the same limit the proxy puts on each call. */
  timeoutMs: number;
  logger: Logger;
}

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
 * the same upstreams, replicas and timeout as the proxy (routing/proxy.ts), the request id
 * carried on. The browser never sees the token.
 */
export class UpstreamClient {
  private readonly pools: Record<WorkerName, UpstreamPool>;

  constructor(private readonly options: UpstreamClientOptions) {
    this.pools = Object.fromEntries(Object.entries(options.upstreams).map(([name, urls]) => [name, new UpstreamPool(urls)])) as Record<WorkerName, UpstreamPool>;
  }

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
      const res = await this.pools[upstream].attempt((base) => fetch(new URL(path, base), init));
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
