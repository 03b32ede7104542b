import { z } from "zod";
import { redactUrl } from "@rentalnang/shared/config/load-config";
import { INVARIANTS_PATH, rowsPageSchema, workerFactsSchema } from "@rentalnang/shared/invariant-facts/facts";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { specOf, type AllFacts, type FactSource, type RowsRequest } from "./fact-source.ts";

/**
 * The facts from each worker's operator route, through the gateway with an operator's
 * token (`GET /admin/invariants`, `GET /admin/invariants/{worker}/rows`): what a cluster
 * offers, where no one pod reaches every database. Every failure is an Error whose message
 * is one line for the operator, naming the gateway (never the token) and what to do.
 */

/** How long one answer may take: a page is a thousand rows at most. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Answers of 429 (the gateway's rate limit) waited out before giving up. */
const MAX_RATE_LIMITED = 20;

const Answers = z.object({
  workers: z.array(z.object({ worker: z.string() }).passthrough()),
  unavailable: z.array(z.object({ worker: z.string(), reason: z.string() })),
});

export interface GatewaySourceOptions {
  /** The gateway's base URL, as operators reach it (the Ingress's host, or a port-forward). */
  url: string;
  /** An access token with the role operator; none for a gateway in lab mode (AUTH=off). */
  token?: string | undefined;
}

const reasonOf = (error: unknown) => {
  const e = error as { code?: string; name?: string; message?: string };
  return e.name === "TimeoutError" ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : (e.code ?? e.message?.split("\n")[0] ?? String(error));
};

async function detailOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { detail?: unknown };
  return typeof body.detail === "string" ? `: ${body.detail}` : "";
}

export function gatewaySource({ url, token }: GatewaySourceOptions): FactSource {
  const shown = redactUrl(url);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};

  async function refusal(res: Response, path: string): Promise<Error> {
    const detail = await detailOf(res);
    if (res.status === 401) {
      const hint = token ? "OPERATOR_TOKEN is not a token it accepts (expired, or from another issuer)" : "set OPERATOR_TOKEN to an operator's access token";
      return new Error(`the gateway at ${shown} refused the request (401${detail}): ${hint}`);
    }
    if (res.status === 403) return new Error(`the gateway at ${shown} refused the token (403${detail}): OPERATOR_TOKEN must carry the role operator`);
    if (res.status === 404 && path === INVARIANTS_PATH) {
      return new Error(`the gateway at ${shown} has no ${INVARIANTS_PATH} (404): check --gateway names a rentalnang gateway of this version`);
    }
    return new Error(`the gateway at ${shown} answered ${res.status} for ${path}${detail}`);
  }

  async function get(path: string): Promise<unknown> {
    for (let limited = 0; ; limited++) {
      let res: Response;
      try {
        res = await fetch(new URL(path, url), { headers, redirect: "error", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (error) {
        throw new Error(`cannot reach the gateway at ${shown} (${reasonOf(error)}): check --gateway (the URL operators reach the gateway at)`);
      }
      if (res.status === 429 && limited < MAX_RATE_LIMITED) {
        await Bun.sleep(Math.max(1, Number(res.headers.get("retry-after")) || 1) * 1000);
        continue;
      }
      if (!res.ok) throw await refusal(res, path.split("?")[0]!);
      try {
        return await res.json();
      } catch {
        throw new Error(`the gateway at ${shown} answered ${path} with something other than JSON: check --gateway`);
      }
    }
  }

  function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    throw new Error(`the gateway at ${shown} answered ${what} in a shape this check does not read (${issue.path.join(".")}: ${issue.message}): are the gateway and the workers of this version?`);
  }

  return {
    async facts() {
      const answers = parsed(Answers, await get(INVARIANTS_PATH), "the workers' facts");
      if (answers.unavailable.length > 0) {
        const which = answers.unavailable.map((u) => `${u.worker} (${u.reason})`).join(", ");
        throw new Error(`the gateway at ${shown} could not ask ${which} for its facts: check that every worker is ready, then run the check again`);
      }
      const all = {} as Record<WorkerName, unknown>;
      for (const w of workerNames) {
        const facts = answers.workers.find((f) => f.worker === w);
        if (!facts) throw new Error(`the gateway at ${shown} answered no facts of ${w}`);
        all[w] = parsed(workerFactsSchema(specOf(w)), facts, `${w}'s facts`);
      }
      return all as AllFacts;
    },
    async rows<W extends WorkerName>(worker: W, { cursor, through, limit }: RowsRequest) {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}), ...(through !== undefined ? { through: String(through) } : {}) });
      const body = await get(`${INVARIANTS_PATH}/${worker}/rows?${query}`);
      return parsed(rowsPageSchema(specOf(worker).row), body, `${worker}'s rows`);
    },
  };
}
