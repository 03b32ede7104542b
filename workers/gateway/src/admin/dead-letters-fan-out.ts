import { Hono, type Context } from "hono";
import { proxy } from "hono/proxy";
import type { AuthEnv } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { DEAD_LETTERS_PATH, type DeadLetterView } from "@rentalnang/shared/dead-letters/dead-letter-routes";
import { problemJson } from "@rentalnang/shared/http/problem";
import { UpstreamPool } from "@rentalnang/shared/http/upstream-pool";
import type { Logger } from "@rentalnang/shared/log/logger";
import { consumerGroups, type WorkerName } from "@rentalnang/shared/topology/topology";
import { forwardedHeaders } from "../routing/forwarded-headers.ts";

export interface DeadLettersFanOutOptions {
  upstreams: Record<WorkerName, string | readonly string[]>;
  timeoutMs: number;
  logger: Logger;
}

/** Every group's dead letters, and the groups that did not answer with theirs. */
export interface DeadLetterList {
  deadLetters: DeadLetterView[];
  unavailable: { group: string; reason: string }[];
}

/** A consumer worker's answer to `GET /admin/dead-letters`; `askGroup` throws when it could not be asked. */
export type GroupAnswer = { status: number; body: unknown };

/**
 * Asks every consumer group's worker for its letters at once and merges the lists, naming the
 * groups that could not answer. The fan-out below and the operators' page both use it.
 */
export async function gatherDeadLetters(askGroup: (group: WorkerName) => Promise<GroupAnswer>, logger: Logger): Promise<DeadLetterList> {
  type Answer = { group: string; deadLetters: DeadLetterView[] } | { group: string; unavailable: string };
  const answers = await Promise.all(consumerGroups.map(async ({ group }): Promise<Answer> => {
    try {
      const { status, body } = await askGroup(group);
      if (status !== 200) return { group, unavailable: `answered ${status}` };
      return { group, deadLetters: (body as { deadLetters: DeadLetterView[] }).deadLetters };
    } catch (error) {
      logger.warn({ group, err: error }, "dead letters: a worker did not answer");
      return { group, unavailable: "unreachable" };
    }
  }));
  return {
    deadLetters: answers.flatMap((a) => ("deadLetters" in a ? a.deadLetters : [])),
    unavailable: answers.flatMap((a) => ("unavailable" in a ? [{ group: a.group, reason: a.unavailable }] : [])),
  };
}

/**
 * The operators' dead letters through the gateway. Each consumer worker serves its own
 * group's (shared/src/dead-letters/dead-letter-routes.ts): GET asks every one of them and
 * merges the lists, naming the groups that could not answer; a redrive or a drop goes to the
 * worker of the group it names. Operators only, here and again at each worker.
 */
export function deadLettersFanOut({ upstreams, timeoutMs, logger }: DeadLettersFanOutOptions) {
  const pools = new Map(consumerGroups.map((g) => [g.group as string, new UpstreamPool(upstreams[g.group])]));
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requireRole("operator"));

  app.get("/", async (c) => {
    const init = { headers: forwardedHeaders(c, c.get("requestId")), signal: AbortSignal.timeout(timeoutMs) };
    return c.json(await gatherDeadLetters(async (group) => {
      const res = await pools.get(group)!.attempt((base) => fetch(`${base}${DEAD_LETTERS_PATH}`, init));
      if (!res.ok) await res.body?.cancel();
      return { status: res.status, body: res.ok ? await res.json() : undefined };
    }, logger));
  });

  async function toGroup(c: Context) {
    const group = c.req.param("group")!;
    const pool = pools.get(group);
    const headers = { "X-Request-Id": c.get("requestId") as string };
    if (!pool) return problemJson(404, "Not Found", `No consumer group ${group}.`, {}, headers);
    const path = new URL(c.req.url).pathname;
    try {
      return await pool.attempt((base) =>
        proxy(new URL(path, base), { raw: c.req.raw, headers: forwardedHeaders(c, headers["X-Request-Id"]), signal: AbortSignal.timeout(timeoutMs) }));
    } catch (error) {
      logger.warn({ group, err: error }, "dead letters: a worker did not answer");
      return problemJson(502, "Bad Gateway", `The worker of group ${group} is unreachable; try again shortly.`, {}, { ...headers, "Retry-After": "1" });
    }
  }
  app.post("/:group/:id/redrive", toGroup);
  app.delete("/:group/:id", toGroup);
  return app;
}
