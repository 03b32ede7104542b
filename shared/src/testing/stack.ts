import type { Role } from "../auth/principal.ts";
import { openDatabase, type Database } from "../db/database.ts";
import { devTokens } from "./dev-tokens.ts";
import { testPrefix, testRedis } from "./harness.ts";
import { freePort } from "./redis-server.ts";
import { callsOf, startOrder, urlVariable, workerNames, type ProcessName, type WorkerName } from "../topology/topology.ts";
import { spawnWorker, type RunningProcess } from "./processes.ts";
import { tempDir } from "./temp-dir.ts";

export const BOARD = { user: "manager", password: "s3cret" };

/** What the tests set apart from the defaults: a reachable board, quick job retries, a patient gateway. */
const TEST_ENV: Partial<Record<ProcessName, Record<string, string>>> = {
  delivery: { BOARD_USER: BOARD.user, BOARD_PASSWORD: BOARD.password, JOB_BACKOFF_MS: "100" },
  // Every test client comes from one address: the rate-limit tests set their own limit.
  gateway: { UPSTREAM_TIMEOUT_MS: "10000", RATE_LIMIT_PER_SECOND: "0" },
};

export interface Stack {
  prefix: string;
  redisUrl: string;
  /** The libSQL URL of a worker's database (one file, whatever the number of replicas). */
  dbUrl(name: WorkerName): string;
  /** One connection to each worker's database, opened on first use and closed by `stop()`. */
  databases(): Promise<Record<WorkerName, Database>>;
  /** The gateway; its `url` is PUBLIC_URL, the origin of the web pages and their sign-in. */
  gateway: RunningProcess;
  /** The OpenID Connect provider every process takes tokens from (OIDC_ISSUER is its URL). */
  identity: RunningProcess;
  /**
   * An access token for a development account from identity's POST /dev/token: c-1, c-2
   * (customers), m-1 (manager), o-1 (operator), or load-N, created with `roles` on first use.
   */
  tokenFor(account: string, roles?: Role[]): Promise<string>;
  /** Each worker's first replica. */
  procs: Record<WorkerName, RunningProcess>;
  /** Each worker's replicas, each on its own port, all on the worker's one database. */
  replicas: Record<WorkerName, RunningProcess[]>;
  /** The environment a worker was started with (to restart it, perhaps with changes). */
  envOf(name: WorkerName): Record<string, string>;
  /** Stops one replica of a worker (SIGTERM, unless it is gone) and starts it again on its port. */
  restartWith(name: WorkerName, extraEnv?: Record<string, string>, replica?: number): Promise<RunningProcess>;
  restartGateway(): Promise<RunningProcess>;
  /** Stops identity (SIGTERM) and starts it again on its port and database: the same issuer and keys. */
  restartIdentity(): Promise<RunningProcess>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /**
   * Processes per worker (default 1). Callers get every replica's URL in their `<NAME>_URL`,
   * comma-separated, and ask them in turn; two processes on one WAL file stand in for
   * replicas on a libSQL server.
   */
  replicas?: number;
  /**
   * "on" (the default): every process checks tokens from the stack's identity, and requests
   * need one (`tokenFor`). "off": the lab mode, as the original ran, for tests about
   * something else (identity still runs).
   */
  auth?: "on" | "off";
}

/**
 * Starts every process of the topology, each once the ones it calls listen: `count` of each
 * worker, one gateway. `envOf` gets the callees' addresses as `<NAME>_URL` variables and
 * returns the whole environment.
 */
async function startEach(count: number, envOf: (name: ProcessName, urls: Record<string, string>) => Record<string, string>) {
  const started = new Map<ProcessName, Promise<RunningProcess[]>>();
  const spawned: Promise<RunningProcess>[] = [];
  const [first, ...rest] = startOrder();
  const start = (name: ProcessName): Promise<RunningProcess[]> => {
    if (!started.has(name)) {
      started.set(name, (async () => {
        const urls = await Promise.all(callsOf(name).map(async (callee) => [urlVariable(callee), (await start(callee)).map((p) => p.url).join(",")]));
        const env = envOf(name, Object.fromEntries(urls));
        const copies = (workerNames as ProcessName[]).includes(name) ? count : 1;
        return Promise.all(Array.from({ length: copies }, () => {
          const spawning = spawnWorker(name, { env });
          spawned.push(spawning);
          return spawning;
        }));
      })());
    }
    return started.get(name)!;
  };
  try {
    // identity first: every other process takes its tokens.
    const firstStarted = [first!, await start(first!)] as const;
    const others = await Promise.all(rest.map(async (name) => [name, await start(name)] as const));
    return Object.fromEntries([firstStarted, ...others]) as Record<ProcessName, RunningProcess[]>;
  } catch (error) {
    // One did not start: stop those that did, so none is left running without its stack.
    await Promise.allSettled(spawned.map(async (p) => (await p).stop()));
    throw error;
  }
}

/**
 * The whole system as `npm start` runs it — the gateway and each worker (`replicas` of each),
 * the test run's redis-server, libSQL files in a temporary directory — under a STREAM_PREFIX
 * of its own.
 */
export async function startStack(
  extra: Partial<Record<ProcessName | "all", Record<string, string>>> = {},
  redisUrl?: string,
  options: StackOptions = {},
): Promise<Stack> {
  const url = redisUrl ?? (await testRedis()).url;
  const prefix = testPrefix("stack");
  const dir = tempDir("stack");
  // identity's port is chosen up front: it is part of the issuer every token names. The
  // gateway's too: its URL is the public origin identity sends signed-in browsers back to.
  const issuer = `http://127.0.0.1:${await freePort()}`;
  const publicUrl = `http://127.0.0.1:${await freePort()}`;
  const auth = { OIDC_ISSUER: issuer, PUBLIC_URL: publicUrl, ...(options.auth === "off" ? { AUTH: "off" } : {}) };
  const common = { REDIS_URL: url, STREAM_PREFIX: prefix, ...auth, ...extra.all };
  const envs: Record<string, Record<string, string>> = {};
  const all = await startEach(options.replicas ?? 1, (name, urls) => {
    const own = name === "gateway"
      ? { ...common, PORT: new URL(publicUrl).port }
      : { ...common, DATABASE_URL: dir.db(name), ...(name === "identity" ? { PORT: new URL(issuer).port } : {}) };
    return (envs[name] = { ...own, ...urls, ...TEST_ENV[name], ...extra[name] });
  });
  const replicas = Object.fromEntries(workerNames.map((w) => [w, all[w]])) as Record<WorkerName, RunningProcess[]>;
  const procs = {} as Record<WorkerName, RunningProcess>;
  for (const w of workerNames) Object.defineProperty(procs, w, { get: () => replicas[w][0], enumerable: true });
  const gateway = restartable(all.gateway[0]!);
  const identity = restartable(all.identity[0]!);
  const tokens = devTokens(() => identity.current.url);
  const databases = lazyDatabases((name) => dir.db(name));
  const stack: Stack = {
    prefix,
    redisUrl: url,
    dbUrl: (name) => dir.db(name),
    databases: () => databases.open(),
    get gateway() {
      return gateway.current;
    },
    get identity() {
      return identity.current;
    },
    tokenFor: (account, roles) => tokens.tokenFor(account, roles),
    restartIdentity: () => identity.restart(),
    restartGateway: () => gateway.restart(),
    procs,
    replicas,
    envOf: (name) => ({ ...envs[name]! }),
    async restartWith(name, extraEnv = {}, replica = 0) {
      const old = replicas[name][replica]!;
      if (old.proc.exitCode === null) await old.stop();
      replicas[name][replica] = await spawnWorker(name, { env: { ...envs[name]!, ...extraEnv, PORT: String(old.port) } });
      return replicas[name][replica];
    },
    async stop() {
      await Promise.all([gateway.current, identity.current, ...Object.values(replicas).flat()].map((p) => (p.proc.exitCode === null ? p.stop() : undefined)));
      await databases.close();
      dir.cleanup();
    },
  };
  return stack;
}

/** A connection to each worker's database, all opened on first use. */
function lazyDatabases(urlOf: (name: WorkerName) => string) {
  let opened: Promise<Record<WorkerName, Database>> | undefined;
  return {
    open: () =>
      (opened ??= Promise.all(workerNames.map(async (w) => [w, await openDatabase(urlOf(w))] as const))
        .then((entries) => Object.fromEntries(entries) as Record<WorkerName, Database>)),
    async close() {
      if (opened) await Promise.all(Object.values(await opened).map((db) => db.close()));
    },
  };
}

/** One process of its kind (the gateway, identity) that a test may restart on its port; `current` is the one running. */
function restartable(first: RunningProcess) {
  let current = first;
  return {
    get current() {
      return current;
    },
    async restart() {
      if (current.proc.exitCode === null) await current.stop();
      current = await current.restart();
      return current;
    },
  };
}
