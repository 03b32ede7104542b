import type { Subprocess } from "bun";
import { lines } from "../lifecycle/lines.ts";
import { RUNTIME_ENV } from "../lifecycle/runtime-env.ts";
import type { ProcessName } from "../topology/topology.ts";
import { spawnScript } from "./run-script.ts";

const READY_TIMEOUT_MS = 20_000;
const MAX_KEPT_LINES = 2_000;

/** A worker process spawned for a test, listening on a port the kernel chose; disposing of it stops it. */
export interface RunningProcess extends AsyncDisposable {
  name: ProcessName;
  url: string;
  port: number;
  proc: Subprocess<"ignore", "pipe", "pipe">;
  /** Everything it printed, for failure messages. */
  output: string[];
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit code. */
  stop(): Promise<number>;
  /** Starts it again with the same environment and port. */
  restart(): Promise<RunningProcess>;
}

export interface SpawnOptions {
  env: Record<string, string>;
}

/**
 * Spawns `bun workers/<name>/src/main.ts` as `npm start` would, with PORT=0 unless given:
 * the port is read from the process's "listening" log line. It returns once /readyz answers 200.
 */
export async function spawnWorker(name: ProcessName, options: SpawnOptions): Promise<RunningProcess> {
  const env = { ...RUNTIME_ENV, LOG_LEVEL: "info", PORT: "0", NODE_ENV: "test", READINESS_DRAIN_MS: "0", ...options.env };
  const proc = spawnScript(`workers/${name}/src/main.ts`, [], env);
  const output: string[] = [];
  let resolvePort: (port: number) => void;
  const portSeen = new Promise<number>((r) => (resolvePort = r));
  collect(proc.stdout, output, (line) => {
    if (line.includes('"msg":"listening"')) resolvePort(JSON.parse(line).port);
  });
  collect(proc.stderr, output, () => {});
  const exited = proc.exited.then((code) => {
    throw new Error(`${name} exited with ${code} before listening:\n${output.join("\n")}`);
  });
  const port = await Promise.race([portSeen, exited, timeoutAfter(READY_TIMEOUT_MS, `${name} did not listen`, output)]);
  exited.catch(() => {});
  const url = `http://127.0.0.1:${port}`;
  const running: RunningProcess = {
    name,
    url,
    port,
    proc,
    output,
    async kill() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    async stop() {
      proc.kill("SIGTERM");
      return proc.exited;
    },
    restart: () => spawnWorker(name, { ...options, env: { ...options.env, PORT: String(port) } }),
    async [Symbol.asyncDispose]() {
      await running.stop();
    },
  };
  await waitUntilReady(running);
  return running;
}

async function waitUntilReady(p: RunningProcess, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.proc.exitCode !== null) throw new Error(`${p.name} exited:\n${p.output.join("\n")}`);
    const res = await fetch(`${p.url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await Bun.sleep(50);
  }
  throw new Error(`${p.name} was not ready within ${timeoutMs} ms:\n${p.output.slice(-30).join("\n")}`);
}

async function collect(stream: ReadableStream<Uint8Array>, into: string[], onLine: (line: string) => void) {
  for await (const line of lines(stream)) {
    into.push(line);
    if (into.length > MAX_KEPT_LINES) into.shift();
    onLine(line);
  }
}

function timeoutAfter(ms: number, message: string, output: string[]): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${message}:\n${output.join("\n")}`)), ms).unref());
}
