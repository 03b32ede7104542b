import { Hono, type Context } from "hono";
import type { AuthEnv } from "@rentalnang/shared/auth/authenticate/authenticate";
import { requireRole } from "@rentalnang/shared/auth/require-role/require-role";
import { DEAD_LETTERS_PATH, type DeadLetterView } from "@rentalnang/shared/dead-letters/dead-letter-routes";
import { problemJson } from "@rentalnang/shared/http/problem";
import type { Logger } from "@rentalnang/shared/log/logger";
import { consumerGroups, type WorkerName } from "@rentalnang/shared/topology/topology";
import type { UpstreamOptions } from "../routing/upstreams.ts";
import { askEvery, getFrom, isOneOf, proxyTo, type Answer } from "./fan-out.ts";

/** The consumer groups that keep dead letters, each at its own worker: the fan-out asks them all, and a redrive or a drop names one. */
export const deadLetterGroups: readonly WorkerName[] = consumerGroups.map((g) => g.group);

/** Every group's dead letters, and the groups that did not answer with theirs. */
export interface DeadLetterList {
  deadLetters: DeadLetterView[];
  unavailable: { group: string; reason: string }[];
}

/**
 * Asks every consumer group's worker for its letters at once and merges the lists, naming the
 * groups that could not answer. The fan-out below and the operators' page both use it.
 */
export async function gatherDeadLetters(askGroup: (group: WorkerName) => Promise<Answer>, logger: Logger): Promise<DeadLetterList> {
  const { answered, unavailable } = await askEvery(deadLetterGroups, askGroup, logger, "dead letters");
  return {
    deadLetters: answered.flatMap((a) => (a.body as { deadLetters: DeadLetterView[] }).deadLetters),
    unavailable: unavailable.map(({ name, reason }) => ({ group: name, reason })),
  };
}

/**
 * The operators' dead letters through the gateway. Each consumer worker serves its own
 * group's (shared/src/dead-letters/dead-letter-routes.ts): GET asks every one of them and
 * merges the lists, naming the groups that could not answer; a redrive or a drop goes to the
 * worker of the group it names. Operators only, here and again at each worker.
 */
export function deadLettersFanOut({ upstreams, timeoutMs, logger }: UpstreamOptions) {
  const app = new Hono<AuthEnv & { Variables: { requestId: string } }>();
  app.use(requireRole("operator"));

  app.get("/", async (c) => c.json(await gatherDeadLetters((group) => getFrom(c, upstreams[group], DEAD_LETTERS_PATH, timeoutMs), logger)));

  async function toGroup(c: Context) {
    const group = c.req.param("group")!;
    if (!isOneOf(deadLetterGroups, group)) return problemJson(404, "Not Found", `No consumer group ${group}.`, {}, { "X-Request-Id": c.get("requestId") as string });
    return proxyTo(c, upstreams[group], { name: group, timeoutMs, logger, what: "dead letters", unreachable: `The worker of group ${group} is unreachable; try again shortly.` });
  }
  app.post("/:group/:id/redrive", toGroup);
  app.delete("/:group/:id", toGroup);
  return app;
}
