import { Hono } from "hono";
import { Health } from "@rentalnang/shared/http/health";
import {
  callsOf, consumerGroupOf, isWorker, portOf, startOrder, workerTopology, type ProcessName, type StreamName, type WorkerName,
} from "@rentalnang/shared/topology/topology";

/** What the deploy checks need to know about one process, read from its own code and the topology. */
export interface WorkerSpec {
  name: ProcessName;
  /** Its port in the topology (shared/src/topology/topology.ts). */
  port: number;
  /** The environment variables its config.ts knows. */
  keys: string[];
  /** Its own config parser: throws a ConfigError naming the first bad variable. */
  readConfig: (env: Record<string, string | undefined>) => Readonly<Record<string, unknown>>;
  /** The stream its outbox publishes to, if any. */
  publishes?: StreamName;
  /** The streams its consumer group reads: with any, it has work to do with no HTTP traffic at all. */
  reads: readonly StreamName[];
  /** The workers it calls over HTTP, each through `<NAME>_URL`. */
  calls: readonly WorkerName[];
}

interface ConfigModule {
  Env: { shape: Record<string, unknown> };
  readConfig: (env: Record<string, string | undefined>) => unknown;
}

async function specOf(name: ProcessName): Promise<WorkerSpec> {
  const config = (await import(`../workers/${name}/src/config.ts`)) as ConfigModule;
  return {
    name,
    port: portOf(name),
    keys: Object.keys(config.Env.shape),
    readConfig: (env) => config.readConfig(env) as Readonly<Record<string, unknown>>,
    publishes: isWorker(name) ? workerTopology(name).publishes : undefined,
    reads: isWorker(name) ? consumerGroupOf(name)?.streams ?? [] : [],
    calls: callsOf(name),
  };
}

/** Every process of the topology. */
/** Processes whose /metrics answers only an operator's token, so the outside may reach it. */
export const TOKEN_METRICS: readonly string[] = ["gateway"];

export const workers: WorkerSpec[] = await Promise.all(startOrder().map(specOf));

export const workerNamed = (name: string) => workers.find((w) => w.name === name);

/** The worker a container command runs: `bun run workers/<name>/src/main.ts`. */
export function workerOfCommand(argv: string[] | undefined): string | undefined {
  return /(?:^|\s)workers\/([a-z0-9-]+)\/src\/main\.ts(?:\s|$)/.exec((argv ?? []).join(" "))?.[1];
}

/**
 * The health paths every process really serves, asked of the shared health routes
 * (shared/src/http/health.ts) rather than copied from them.
 */
export async function servedHealthPaths(candidates: string[]): Promise<Set<string>> {
  const app = new Hono();
  new Health({}).routes(app);
  const served = new Set<string>();
  for (const path of candidates) {
    if ((await app.request(path)).status !== 404) served.add(path);
  }
  return served;
}
