import { Hono } from "hono";
import { z } from "zod";
import type { AuthEnv } from "../auth/authenticate/authenticate.ts";
import { requireRole } from "../auth/require-role/require-role.ts";
import { intLike } from "../http/integers.ts";
import { NotFound } from "../http/problem.ts";
import { validationFailed } from "../http/service-app.ts";
import type { WorkerName } from "../topology/topology.ts";
import { DEFAULT_ROWS_PAGE, MAX_ROWS_PAGE, type FactsContext, type WorkerFactsSpec } from "./facts.ts";
import { NO_UPPER_BOUND, readRowsPage, readWorkerFacts } from "./read-facts.ts";

const RowsQuery = z.object({
  /** A page's nextCursor: the rows after the last one it held. */
  cursor: intLike(0, NO_UPPER_BOUND).optional(),
  /** The highest rental id to include (the rental page the check compares with ends there). */
  through: intLike(0, NO_UPPER_BOUND).optional(),
  limit: intLike(1, MAX_ROWS_PAGE).default(DEFAULT_ROWS_PAGE),
});

export interface InvariantRoutesDeps<Row extends { rentalId: number }, Own> extends FactsContext {
  worker: WorkerName;
  spec: WorkerFactsSpec<Row, Own>;
}

/**
 * A worker's operator routes for the invariant check: `GET /` its facts (outbox, consumer
 * group, dead letters, its own), `GET /{worker}/rows?cursor=&through=&limit=` a page of its
 * rows keyed by rental. Read-only. Operators only; goes behind the app's `authenticate`.
 */
export function invariantRoutes<Row extends { rentalId: number }, Own>({ worker, spec, ...ctx }: InvariantRoutesDeps<Row, Own>) {
  const app = new Hono<AuthEnv>();
  app.use(requireRole("operator"));
  app.get("/", async (c) => c.json(await readWorkerFacts(worker, spec, ctx)));
  app.get("/:worker/rows", async (c) => {
    const asked = c.req.param("worker");
    if (asked !== worker) throw new NotFound(`This is ${worker}; it serves no rows of ${asked}.`);
    const query = RowsQuery.safeParse(c.req.query());
    if (!query.success) throw validationFailed(query.error.issues, "(query)");
    const { cursor = 0, through = NO_UPPER_BOUND, limit } = query.data;
    return c.json(await readRowsPage(spec, ctx.db, { after: cursor, through, limit }));
  });
  return app;
}
