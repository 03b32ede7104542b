import { expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { runScript } from "@rentalnang/shared/testing/run-script";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { workerNames } from "@rentalnang/shared/topology/topology";

const cleanup = cleanupEach();

/** Every operator command as `npm run` starts it, with the arguments of an ordinary use. */
const COMMANDS: Record<string, { script: string; args: string[] }> = {
  "check-invariants": { script: "scripts/check-invariants.ts", args: [] },
  "dead-letters": { script: "scripts/dead-letters.ts", args: ["list"] },
  "failed-jobs": { script: "scripts/failed-jobs.ts", args: ["list"] },
  "rebuild:mypage": { script: "workers/mypage/src/rebuild.ts", args: ["--from-streams"] },
  status: { script: "scripts/status.ts", args: [] },
  chaos: { script: "scripts/chaos.ts", args: [] },
  bench: { script: "scripts/bench.ts", args: [] },
  token: { script: "scripts/token.ts", args: ["c-1"] },
  openapi: { script: "scripts/openapi.ts", args: [] },
  start: { script: "scripts/start.ts", args: [] },
};
/** The ones that read a stack's Redis and databases (chaos and bench run their own). */
const BESIDE_A_STACK = ["check-invariants", "dead-letters", "failed-jobs", "rebuild:mypage", "status"];
/** Nothing listens on port 1: a connection is refused at once. */
const NO_REDIS = "redis://127.0.0.1:1";

const lines = (text: string) => text.trim().split("\n").filter(Boolean);

test("every operator command answers --help with its usage, its flags and an example", async () => {
  const runs = await Promise.all(Object.entries(COMMANDS).map(async ([name, c]) => [name, await runScript(c.script, ["--help"])] as const));
  for (const [name, run] of runs) {
    expect({ name, code: run.code, err: run.err }).toEqual({ name, code: 0, err: "" });
    expect(run.out).toContain(`usage: npm run ${name} --`);
    expect(run.out).toContain("--help");
    expect(run.out).toContain(`examples:\n  `);
  }
  const privateStack = runs.filter(([, run]) => run.out.includes("private stack")).map(([name]) => name);
  expect(privateStack.sort()).toEqual(["bench", "chaos"]);
});

test("a wrong flag is one line about that flag, exit 2", async () => {
  const clients = await runScript("scripts/chaos.ts", ["--clients", "0"]);
  expect(clients.code).toBe(2);
  expect(lines(clients.err)).toEqual(['chaos: --clients must be a positive whole number (got "0") (see npm run chaos -- --help)']);
  const unknown = await runScript("scripts/bench.ts", ["--nope"]);
  expect(unknown.code).toBe(2);
  expect(lines(unknown.err)).toEqual(["bench: Unknown option '--nope' (see npm run bench -- --help)"]);
});

test("against a Redis that does not answer: one line naming it and how to point elsewhere, non-zero", async () => {
  const dir = cleanup.use(tempDir("no-redis"));
  for (const w of workerNames) writeFileSync(join(dir.dir, `${w}.db`), "");
  const runs = await Promise.all(BESIDE_A_STACK.map(async (name) => {
    const c = COMMANDS[name]!;
    return [name, await runScript(c.script, c.args, { DATA_DIR: dir.dir, REDIS_URL: NO_REDIS })] as const;
  }));
  for (const [name, run] of runs) {
    expect({ name, code: run.code === 0 ? 0 : "non-zero" }).toEqual({ name, code: "non-zero" });
    const [line, ...more] = lines(run.err);
    expect({ name, more }).toEqual({ name, more: [] });
    expect(line).toStartWith(`${name}: cannot reach Redis at ${NO_REDIS} (ECONNREFUSED): set REDIS_URL`);
    expect(line).toContain(join(dir.dir, "redis", "password"));
  }
});

test("with no database where it looks: one line naming it and DATA_DIR, non-zero, and no file created", async () => {
  const dir = cleanup.use(tempDir("no-database"));
  const dataDir = join(dir.dir, "nowhere");
  const runs = await Promise.all(BESIDE_A_STACK.map(async (name) => {
    const c = COMMANDS[name]!;
    return [name, await runScript(c.script, c.args, { DATA_DIR: dataDir, REDIS_URL: NO_REDIS })] as const;
  }));
  for (const [name, run] of runs) {
    expect({ name, code: run.code === 0 ? 0 : "non-zero" }).toEqual({ name, code: "non-zero" });
    const [line, ...more] = lines(run.err);
    expect({ name, more }).toEqual({ name, more: [] });
    expect(line).toStartWith(`${name}: no `);
    expect(line).toContain("DATA_DIR");
    expect(line).toMatch(/_DATABASE_URL/);
  }
  expect(existsSync(dataDir)).toBe(false);
  expect(readdirSync(dir.dir)).toEqual([]);
});
