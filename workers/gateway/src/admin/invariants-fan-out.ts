import { Hono, type Context } from "hono";
import { proxy } from "hono/proxy";
import type { AuthEnv } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { INVARIANTS_PATH } from "@rentalnang/shared/invariant-facts/facts";
import { problemJson } from "@rentalnang/shared/http/problem";
import { UpstreamPool } from "@rentalnang/shared/http/upstream-pool";
import type { Logger } from "@rentalnang/shared/log/logger";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { forwardedHeaders } from "../routing/forwarded-headers.ts";

export interface InvariantsFanOutOptions {
  upstreams: Record<WorkerName, string | readonly string[]>;
  timeoutMs: number;
  logger: Logger;
}

type Answer = { worker: string; facts: Record<string, unknown> } | { worker: string; unavailable: string };

/**
 * The facts of the operators' invariant check through the gateway, for a cluster where only
 * the gateway reaches every worker (scripts/check-invariants.ts --gateway). Each worker serves
 * its own (shared/src/invariant-facts/invariant-routes.ts): `GET /admin/invariants` asks all
 * four and lists them, naming the workers that could not answer; `GET
 * /admin/invariants/{worker}/rows` goes to that worker. Operators only, here and again at
 * each worker.
 */
export function invariantsFanOut({ upstreams, timeoutMs, logger }: InvariantsFanOutOptions) {
  const pools = new Map(workerNames.map((w) => [w as string, new UpstreamPool(upstreams[w])]));
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requireRole("operator"));

  async function ask(c: Context, worker: string, pool: UpstreamPool): Promise<Answer> {
    try {
      const init = { headers: forwardedHeaders(c, c.get("requestId")), signal: AbortSignal.timeout(timeoutMs) };
      const res = await pool.attempt((base) => fetch(`${base}${INVARIANTS_PATH}`, init));
      if (!res.ok) return { worker, unavailable: `answered ${res.status}` };
      return { worker, facts: (await res.json()) as Record<string, unknown> };
    } catch (error) {
      logger.warn({ worker, err: error }, "invariant facts: a worker did not answer");
      return { worker, unavailable: "unreachable" };
    }
  }

  app.get("/", async (c) => {
    const answers = await Promise.all([...pools].map(([worker, pool]) => ask(c, worker, pool)));
    return c.json({
      workers: answers.flatMap((a) => ("facts" in a ? [a.facts] : [])),
      unavailable: answers.flatMap((a) => ("unavailable" in a ? [{ worker: a.worker, reason: a.unavailable }] : [])),
    });
  });

  app.get("/:worker/rows", async (c) => {
    const worker = c.req.param("worker");
    const pool = pools.get(worker);
    const headers = { "X-Request-Id": c.get("requestId") as string };
    if (!pool) return problemJson(404, "Not Found", `No worker ${worker}; the workers are ${workerNames.join(", ")}.`, {}, headers);
    const url = new URL(c.req.url);
    try {
      return await pool.attempt((base) =>
        proxy(new URL(`${url.pathname}${url.search}`, base), { raw: c.req.raw, headers: forwardedHeaders(c, headers["X-Request-Id"]), signal: AbortSignal.timeout(timeoutMs) }));
    } catch (error) {
      logger.warn({ worker, err: error }, "invariant facts: a worker did not answer");
      return problemJson(502, "Bad Gateway", `${worker} is unreachable; try again shortly.`, {}, { ...headers, "Retry-After": "1" });
    }
  });
  return app;
}
