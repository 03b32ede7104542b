import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");
const DEFAULT_TIMEOUT_MS = 30_000;

export interface ScriptRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `bun <script> ...args` from the repository root, as `npm run` would, with only PATH,
 * HOME and `env` in its environment, and collects its exit code and output. A script that has
 * not exited within `timeoutMs` is killed and the call throws with what it printed.
 */
export async function runScript(script: string, args: string[] = [], env: Record<string, string> = {}, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ScriptRun> {
  const proc = Bun.spawn([process.execPath, script, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
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
