import { Hono } from "hono";
import type { AuthEnv } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { INVARIANTS_PATH } from "@rentalnang/shared/invariant-facts/facts";
import { problemJson } from "@rentalnang/shared/http/problem";
import { workerNames } from "@rentalnang/shared/topology/topology";
import type { UpstreamOptions } from "../routing/upstreams.ts";
import { askEvery, getFrom, isOneOf, proxyTo } from "./fan-out.ts";

/**
 * The facts of the operators' invariant check through the gateway, for a cluster where only
 * the gateway reaches every worker (scripts/check-invariants.ts --gateway). Each worker serves
 * its own (shared/src/invariant-facts/invariant-routes.ts): `GET /admin/invariants` asks all
 * four and lists them, naming the workers that could not answer; `GET
 * /admin/invariants/{worker}/rows` goes to that worker. Operators only, here and again at
 * each worker.
 */
export function invariantsFanOut({ upstreams, timeoutMs, logger }: UpstreamOptions) {
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requireRole("operator"));

  app.get("/", async (c) => {
    const { answered, unavailable } = await askEvery(workerNames, (worker) => getFrom(c, upstreams[worker], INVARIANTS_PATH, timeoutMs), logger, "invariant facts");
    return c.json({
      workers: answered.map((a) => a.body),
      unavailable: unavailable.map(({ name, reason }) => ({ worker: name, reason })),
    });
  });

  app.get("/:worker/rows", async (c) => {
    const worker = c.req.param("worker");
    if (!isOneOf(workerNames, worker)) return problemJson(404, "Not Found", `No worker ${worker}; the workers are ${workerNames.join(", ")}.`, {}, { "X-Request-Id": c.get("requestId") });
    return proxyTo(c, upstreams[worker], { name: worker, timeoutMs, logger, what: "invariant facts", unreachable: `${worker} is unreachable; try again shortly.` });
  });
  return app;
}
