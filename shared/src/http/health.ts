import type { Hono } from "hono";

/**
 * A named dependency check for `/readyz`; resolves with optional details, throws when down.
 * Details with `degraded: true` report the check as degraded: the dependency works only in
 * part (a consumer whose handlers wait for the database), which readiness shows but does not
 * fail on — reads still work, and restarting or unrouting the process would not help.
 */
export type Check = () => Promise<CheckDetails | void>;
export type CheckDetails = Record<string, unknown> & { degraded?: boolean };

const CHECK_TIMEOUT_MS = 1_000;

/**
 * Liveness and readiness (README.md, 'Operating it').
 * `/healthz` never looks at dependencies: restarting a process does not fix its database.
 * `/readyz` is 503 until `markReady()`, after `markDraining()`, or while any check fails.
 */
export class Health {
  private state: "starting" | "ready" | "draining" = "starting";
  private readonly informational = new Set<string>();
  constructor(private readonly checks: Record<string, Check> = {}) {}

  /** Adds a check; an informational one is reported but never makes the process unready. */
  add(name: string, check: Check, { informational = false } = {}) {
    this.checks[name] = check;
    if (informational) this.informational.add(name);
  }

  markReady() {
    if (this.state === "starting") this.state = "ready";
  }
  markDraining() {
    this.state = "draining";
  }
  get draining() {
    return this.state === "draining";
  }

  async report() {
    const results: Record<string, unknown> = {};
    let ok = this.state === "ready";
    await Promise.all(
      Object.entries(this.checks).map(async ([name, check]) => {
        try {
          const details = await withTimeout(check(), CHECK_TIMEOUT_MS);
          results[name] = { status: details?.degraded ? "degraded" : "ok", ...(details ?? {}) };
        } catch (error) {
          if (!this.informational.has(name)) ok = false;
          results[name] = { status: "down", error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return { ok, body: { status: ok ? "ready" : this.state === "ready" ? "degraded" : this.state, checks: results } };
  }

  routes(app: Hono<any>) {
    app.get("/healthz", (c) => c.json({ status: "ok" }));
    app.get("/readyz", async (c) => {
      const { ok, body } = await this.report();
      return c.json(body, ok ? 200 : 503);
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}
