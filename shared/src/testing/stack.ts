import { testPrefix, testRedis } from "./harness.ts";
import { spawnWorker, tempDir, type RunningProcess, type WorkerName } from "./processes.ts";

export const BOARD = { user: "manager", password: "s3cret" };

export interface Stack {
  prefix: string;
  redisUrl: string;
  /** The libSQL URL of a worker's database. */
  dbUrl(name: Exclude<WorkerName, "gateway">): string;
  gateway: RunningProcess;
  procs: Record<Exclude<WorkerName, "gateway">, RunningProcess>;
  /** The environment a worker was started with (to restart it, perhaps with changes). */
  envOf(name: Exclude<WorkerName, "gateway">): Record<string, string>;
  /** Stops one worker (SIGTERM) and returns a function that starts it again on its port. */
  restartWith(name: Exclude<WorkerName, "gateway">, extraEnv?: Record<string, string>): Promise<RunningProcess>;
  restartGateway(): Promise<RunningProcess>;
  stop(): Promise<void>;
}

/**
 * The whole system as `npm start` runs it — five processes, the test run's redis-server,
 * libSQL files in a temporary directory — under a STREAM_PREFIX of its own.
 */
export async function startStack(
  extra: Partial<Record<WorkerName | "all", Record<string, string>>> = {},
  redisUrl?: string,
): Promise<Stack> {
  const url = redisUrl ?? (await testRedis()).url;
  const prefix = testPrefix("stack");
  const dir = tempDir("stack");
  const common = { REDIS_URL: url, STREAM_PREFIX: prefix, ...extra.all };
  const envs: Record<string, Record<string, string>> = {};
  const start = async (name: Exclude<WorkerName, "gateway">, env: Record<string, string>) => {
    envs[name] = { ...common, DATABASE_URL: dir.db(name), ...env, ...extra[name] };
    return spawnWorker(name, { env: envs[name]! });
  };
  const payment = await start("payment", {});
  const [rental, delivery, mypage] = await Promise.all([
    start("rental", { PAYMENT_URL: payment.url }),
    start("delivery", { BOARD_USER: BOARD.user, BOARD_PASSWORD: BOARD.password, JOB_BACKOFF_MS: "100" }),
    start("mypage", {}),
  ]);
  const procs = { payment, rental, delivery, mypage };
  let gateway = await spawnWorker("gateway", {
    env: {
      ...extra.all,
      RENTAL_URL: rental.url, PAYMENT_URL: payment.url, DELIVERY_URL: delivery.url, MYPAGE_URL: mypage.url,
      UPSTREAM_TIMEOUT_MS: "10000", ...extra.gateway,
    },
  });
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
