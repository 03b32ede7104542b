import { testPrefix, testRedis } from "./harness.ts";
import { callsOf, startOrder, urlVariable, type ProcessName, type WorkerName } from "../topology/topology.ts";
import { spawnWorker, type RunningProcess } from "./processes.ts";
import { tempDir } from "./temp-dir.ts";

export const BOARD = { user: "manager", password: "s3cret" };

/** What the tests set apart from the defaults: a reachable board, quick job retries, a patient gateway. */
const TEST_ENV: Partial<Record<ProcessName, Record<string, string>>> = {
  delivery: { BOARD_USER: BOARD.user, BOARD_PASSWORD: BOARD.password, JOB_BACKOFF_MS: "100" },
  gateway: { UPSTREAM_TIMEOUT_MS: "10000" },
};

export interface Stack {
  prefix: string;
  redisUrl: string;
  /** The libSQL URL of a worker's database. */
  dbUrl(name: WorkerName): string;
  gateway: RunningProcess;
  procs: Record<WorkerName, RunningProcess>;
  /** The environment a worker was started with (to restart it, perhaps with changes). */
  envOf(name: WorkerName): Record<string, string>;
  /** Stops one worker (SIGTERM) and returns a function that starts it again on its port. */
  restartWith(name: WorkerName, extraEnv?: Record<string, string>): Promise<RunningProcess>;
  restartGateway(): Promise<RunningProcess>;
  stop(): Promise<void>;
}

/**
 * Starts every process of the topology, each once the ones it calls listen; `envOf` gets
 * their addresses as `<NAME>_URL` variables and returns the whole environment.
 */
async function startEach(envOf: (name: ProcessName, urls: Record<string, string>) => Record<string, string>) {
  const started = new Map<ProcessName, Promise<RunningProcess>>();
  const start = (name: ProcessName): Promise<RunningProcess> => {
    if (!started.has(name)) {
      started.set(name, (async () => {
        const urls = await Promise.all(callsOf(name).map(async (callee) => [urlVariable(callee), (await start(callee)).url]));
        return spawnWorker(name, { env: envOf(name, Object.fromEntries(urls)) });
      })());
    }
    return started.get(name)!;
  };
  return Promise.all(startOrder().map(start));
}

/**
 * The whole system as `npm start` runs it — five processes, the test run's redis-server,
 * libSQL files in a temporary directory — under a STREAM_PREFIX of its own.
 */
export async function startStack(
  extra: Partial<Record<ProcessName | "all", Record<string, string>>> = {},
  redisUrl?: string,
): Promise<Stack> {
  const url = redisUrl ?? (await testRedis()).url;
  const prefix = testPrefix("stack");
  const dir = tempDir("stack");
  const common = { REDIS_URL: url, STREAM_PREFIX: prefix, ...extra.all };
  const envs: Record<string, Record<string, string>> = {};
  const all = await startEach((name, urls) => {
    const own = name === "gateway" ? { ...extra.all } : { ...common, DATABASE_URL: dir.db(name) };
    return (envs[name] = { ...own, ...urls, ...TEST_ENV[name], ...extra[name] });
  });
  const procs = Object.fromEntries(all.filter((p) => p.name !== "gateway").map((p) => [p.name, p])) as Record<WorkerName, RunningProcess>;
  let gateway = all.find((p) => p.name === "gateway")!;
  const stack: Stack = {
    prefix,
    redisUrl: url,
    dbUrl: (name) => dir.db(name),
    get gateway() {
      return gateway;
    },
    async restartGateway() {
      if (gateway.proc.exitCode === null) await gateway.stop();
      gateway = await gateway.restart();
      return gateway;
    },
    procs,
    envOf: (name) => ({ ...envs[name]! }),
    async restartWith(name, extraEnv = {}) {
      const port = String(procs[name].port);
      if (procs[name].proc.exitCode === null) await procs[name].stop();
      procs[name] = await spawnWorker(name, { env: { ...envs[name]!, ...extraEnv, PORT: port } });
      return procs[name];
    },
    async stop() {
      await Promise.all([gateway, ...Object.values(procs)].map((p) => (p.proc.exitCode === null ? p.stop() : undefined)));
      dir.cleanup();
    },
  };
  return stack;
}
