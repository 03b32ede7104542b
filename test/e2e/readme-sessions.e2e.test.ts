import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";

/**
 * README's "Try it" sessions, run as a reader pastes them: each ```sh block that opens with
 * `# session: <name>` goes to bash (-euo pipefail) in a terminal (`script` gives it one, so
 * httpie prints status lines and leaves stdin alone, as it does for a reader) against a stack
 * of its own. Only the ports change, and the token command finds identity through
 * OIDC_ISSUER. Every status line printed must be the one its request's comment names.
 */

const ROOT = join(import.meta.dir, "../..");
const SESSION_TIMEOUT_MS = 90_000;
const TOOLS = {
  http: "httpie (apt-get install httpie)",
  jq: "jq (apt-get install jq)",
  curl: "curl (apt-get install curl)",
  script: "script (util-linux; on Debian, bsdutils)",
};

/** The blocks under "## Try it" that open with `# session: <name>`, by name. */
function sessionsOf(readme: string): Record<string, string> {
  const section = readme.split(/^## Try it$/m)[1]?.split(/^## /m)[0] ?? "";
  const blocks = [...section.matchAll(/^```sh\n# session: (\S+)\n([\s\S]*?)^```$/gm)];
  return Object.fromEntries(blocks.map((m) => [m[1]!, m[2]!]));
}

/** The statuses the comments name, in order: `# 201` after a request. */
function documentedStatuses(script: string): number[] {
  return script
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .flatMap((line) => /\s#\s+(\d{3})(?!\d)/.exec(line)?.[1] ?? [])
    .map(Number);
}

async function runSession(script: string, ports: Record<string, number>, env: Record<string, string>) {
  let text = script;
  for (const [from, to] of Object.entries(ports)) text = text.replaceAll(`:${from}`, `:${to}`);
  const dir = mkdtempSync(join(tmpdir(), "rentalnang-readme-"));
  try {
    const file = join(dir, "session.sh");
    writeFileSync(file, text);
    const proc = Bun.spawn(["script", "-qec", `bash --noprofile --norc -euo pipefail ${file}`, "/dev/null"], {
      cwd: ROOT, env: { ...process.env, ...env }, stdin: "ignore", stdout: "pipe", stderr: "pipe",
    });
    const timer = setTimeout(() => proc.kill(), SESSION_TIMEOUT_MS);
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    // eslint-disable-next-line no-control-regex
    const output = (out + err).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
    return { code, output, statuses: [...output.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sessions = sessionsOf(readFileSync(join(ROOT, "README.md"), "utf8"));

test("README's Try it has the three sessions, each naming the statuses it shows", () => {
  expect(Object.keys(sessions).sort()).toEqual(["curl", "lab", "tokens"]);
  for (const script of Object.values(sessions)) expect(documentedStatuses(script).length).toBeGreaterThan(1);
  const missing = Object.entries(TOOLS).filter(([tool]) => !Bun.which(tool)).map(([, what]) => what);
  if (missing.length > 0) throw new Error(`the README's sessions need ${missing.join(", ")}: install it to run them`);
});

async function expectRuns(name: string, stack: Stack) {
  const ports = { 8088: stack.gateway.port, 8081: stack.procs.rental.port, 8090: stack.identity.port };
  const script = sessions[name]!;
  const run = await runSession(script, ports, { OIDC_ISSUER: stack.identity.url });
  if (run.code !== 0) throw new Error(`session ${name} exited with ${run.code}:\n${run.output}`);
  expect({ name, statuses: run.statuses }).toEqual({ name, statuses: documentedStatuses(script) });
}

describe("with tokens", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  test("the httpie session runs as written, twice, with the statuses its comments name", async () => {
    await expectRuns("tokens", stack);
    await expectRuns("tokens", stack);
  }, 2 * SESSION_TIMEOUT_MS);

  test("the curl session runs as written", async () => {
    await expectRuns("curl", stack);
  }, SESSION_TIMEOUT_MS);
});

describe("in the lab mode", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({}, undefined, { auth: "off" });
  }, 60_000);
  afterAll(() => stack?.stop());

  test("the lab session runs as written", async () => {
    await expectRuns("lab", stack);
  }, SESSION_TIMEOUT_MS);
});
