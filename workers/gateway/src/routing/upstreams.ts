import { UpstreamPool } from "@rentalnang/shared/http/upstream-pool";
import type { Logger } from "@rentalnang/shared/log/logger";
import type { Upstream } from "./routes.ts";

/**
 * One pool per worker, built once from its `*_URL` (main.ts) and handed to everything in the
 * gateway that calls the workers: the proxy, the operators' fan-outs and the pages' client.
 * A worker's replicas are so taken in turn once, whoever asks.
 */
export type Upstreams = Readonly<Record<Upstream, UpstreamPool>>;

/** The pools of each upstream's URL, or of its replicas' URLs (asked in turn, see UpstreamPool). */
export function upstreamPools(urls: Record<Upstream, string | readonly string[]>): Upstreams {
  return Object.fromEntries(Object.entries(urls).map(([name, each]) => [name, new UpstreamPool(each)])) as Record<Upstream, UpstreamPool>;
}

/** What each caller of the workers is built with. */
export interface UpstreamOptions {
  upstreams: Upstreams;
  /** UPSTREAM_TIMEOUT_MS: the limit on each call. */
  timeoutMs: number;
  logger: Logger;
}
