import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Starts `bun <script> ...args` from the repository root, as `npm run` would, with only PATH,
 * HOME and `env` in its environment (nothing of the test run's own leaks into it).
 */
export function spawnScript(script: string, args: string[] = [], env: Record<string, string> = {}) {
  return Bun.spawn([process.execPath, script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
}

export interface ScriptRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs a script to its end (see spawnScript) and collects its exit code and output. One that
 * has not exited within `timeoutMs` is killed, and the call throws with what it printed.
 */
export async function runScript(script: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ScriptRun> {
  const proc = spawnScript(script, args, env);
  const output = Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  const [out, err] = await output;
  if (timedOut) throw new Error(`${script} ${args.join(" ")} did not exit within ${timeoutMs} ms:\n${out}${err}`);
  return { code, out, err };
}
