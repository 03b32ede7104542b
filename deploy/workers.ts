import { Hono } from "hono";
import { Health } from "@rentalnang/shared/http/health";
import * as delivery from "../workers/delivery/src/config.ts";
import * as gateway from "../workers/gateway/src/config.ts";
import * as mypage from "../workers/mypage/src/config.ts";
import * as payment from "../workers/payment/src/config.ts";
import * as rental from "../workers/rental/src/config.ts";

/** What the deploy checks need to know about one process, read from its own code. */
export interface WorkerSpec {
  name: string;
  /** Its port (docs/architecture.md, 'Topology'). */
  port: number;
  /** The environment variables its config.ts knows. */
  keys: string[];
  /** Its own config parser: throws a ConfigError naming the first bad variable. */
  readConfig: (env: Record<string, string | undefined>) => Readonly<Record<string, unknown>>;
  /** Reads Redis streams, so it has work to do with no HTTP traffic at all. */
  consumesStreams: boolean;
}

/** Each process's port (docs/architecture.md, 'Topology'). */
export const CONTRACT_PORTS = { gateway: 8088, rental: 8081, payment: 8082, delivery: 8083, mypage: 8084 } as const;

const configs = { gateway, rental, payment, delivery, mypage };

export const workers: WorkerSpec[] = Object.entries(configs).map(([name, config]) => {
  const keys = Object.keys(config.Env.shape);
  return {
    name,
    port: CONTRACT_PORTS[name as keyof typeof CONTRACT_PORTS],
    keys,
    readConfig: (env) => config.readConfig(env) as Readonly<Record<string, unknown>>,
    // Every worker that talks to Redis reads its streams (consumer groups are named
    // after the consuming worker); the gateway talks to no Redis.
    consumesStreams: keys.includes("REDIS_URL"),
  };
});

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
