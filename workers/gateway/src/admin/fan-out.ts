import type { Context } from "hono";
import { proxy } from "hono/proxy";
import { problemJson } from "@rentalnang/shared/http/problem";
import type { UpstreamPool } from "@rentalnang/shared/http/upstream-pool";
import type { Logger } from "@rentalnang/shared/log/logger";
import { forwardedHeaders } from "../routing/forwarded-headers.ts";

/** One worker's answer to a fan-out's question; the asker throws when it could not ask. */
export type Answer = { status: number; body: unknown };

/** The bodies of those that answered, and those that did not, with why. */
export interface Gathered<N extends string> {
  answered: { name: N; body: unknown }[];
  unavailable: { name: N; reason: string }[];
}

/** The statuses the pages' UpstreamClient gives a worker it could not reach (refused, or no answer in time). */
const NOT_REACHED = [502, 504];

/**
 * Asks every one of `names` at once and names those that did not answer 200: the mechanism
 * under the operators' fan-outs (dead letters per group, invariant facts per worker). A worker
 * the asker could not reach is "unreachable", whether the asker threw (getFrom) or answered
 * 502 or 504 for it (the pages' UpstreamClient), so the API and the pages say the same.
 */
export async function askEvery<N extends string>(names: readonly N[], ask: (name: N) => Promise<Answer>, logger: Logger, what: string): Promise<Gathered<N>> {
  type Got = { name: N; body: unknown } | { name: N; reason: string };
  const answers = await Promise.all(names.map(async (name): Promise<Got> => {
    try {
      const { status, body } = await ask(name);
      if (status === 200) return { name, body };
      return { name, reason: NOT_REACHED.includes(status) ? "unreachable" : `answered ${status}` };
    } catch (error) {
      logger.warn({ upstream: name, err: error }, `${what}: a worker did not answer`);
      return { name, reason: "unreachable" };
    }
  }));
  return {
    answered: answers.filter((a) => "body" in a),
    unavailable: answers.filter((a) => "reason" in a),
  };
}

/** Whether a name from the path is one of `names` (never a property every object has, such as `constructor`). */
export const isOneOf = <N extends string>(names: readonly N[], name: string): name is N => (names as readonly string[]).includes(name);

/** `GET path` at one worker with the caller's forwarded headers, as an Answer (the body read only on 200). */
export async function getFrom(c: Context, pool: UpstreamPool, path: string, timeoutMs: number): Promise<Answer> {
  const init = { headers: forwardedHeaders(c, c.get("requestId")), signal: AbortSignal.timeout(timeoutMs) };
  const res = await pool.attempt((base) => fetch(`${base}${path}`, init));
  if (res.status !== 200) await res.body?.cancel();
  return { status: res.status, body: res.status === 200 ? await res.json() : undefined };
}

export interface ProxyToOptions {
  name: string;
  timeoutMs: number;
  logger: Logger;
  /** Names the fan-out in the log line. */
  what: string;
  /** The 502 problem's detail. */
  unreachable: string;
}

/** Passes the request as it is (path and query) to one worker; an unreachable worker is a 502 problem. */
export async function proxyTo(c: Context, pool: UpstreamPool, { name, timeoutMs, logger, what, unreachable }: ProxyToOptions): Promise<Response> {
  const requestId: string = c.get("requestId");
  const url = new URL(c.req.url);
  try {
    return await pool.attempt((base) =>
      proxy(new URL(`${url.pathname}${url.search}`, base), { raw: c.req.raw, headers: forwardedHeaders(c, requestId), signal: AbortSignal.timeout(timeoutMs) }));
  } catch (error) {
    logger.warn({ upstream: name, err: error }, `${what}: a worker did not answer`);
    return problemJson(502, "Bad Gateway", unreachable, {}, { "X-Request-Id": requestId, "Retry-After": "1" });
  }
}
