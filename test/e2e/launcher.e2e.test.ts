import { describe, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { connectRedis } from "@rentalnang/shared/bus/redis";
import { lines } from "@rentalnang/shared/lifecycle/lines";
import { cleanupEach } from "@rentalnang/shared/testing/cleanup";
import { testPrefix } from "@rentalnang/shared/testing/harness";
import { eventually } from "@rentalnang/shared/testing/eventually";
import { tempDir } from "@rentalnang/shared/testing/temp-dir";
import { freePort } from "@rentalnang/shared/testing/redis-server";
import { runScript, spawnScript } from "@rentalnang/shared/testing/run-script";

/** `npm start` / `npm run start:<name>`: the launcher in scripts/start.ts, run as a user would. */

const cleanup = cleanupEach();

function launch(args: string[], env: Record<string, string>) {
  const dir = cleanup.use(tempDir("launcher"));
  const proc = spawnScript("scripts/start.ts", args, { DATA_DIR: dir.dir, STREAM_PREFIX: testPrefix("launch"), ...env });
  // A test that failed halfway leaves no launcher (nor the Redis it started) behind.
  cleanup.defer(async () => {
    if (proc.exitCode === null) proc.kill("SIGINT");
    await proc.exited;
  });
  const output: string[] = [];
  void (async () => {
    for await (const line of lines(proc.stdout)) output.push(line);
  })();
  const errors = new Response(proc.stderr).text();
  return { proc, output, errors, dir: dir.dir };
}

const answers = async (port: number) => {
  try {
    const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
};

describe("the launcher", () => {
  test("starts redis-server when nothing answers, runs the worker with prefixed logs, and Ctrl-C stops everything", async () => {
    const redisPort = await freePort();
    const run = launch(["rental"], { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: "0" });
    const port = await eventually(() => {
      const line = run.output.find((l) => l.startsWith("rental") && l.includes("listening"));
      return line ? Number(/"port":(\d+)/.exec(line)?.[1]) : undefined;
    }, { what: "rental listening", timeoutMs: 20_000 });
    expect(run.output.some((l) => l.startsWith("redis") && l.includes(`started redis-server on port ${redisPort}`))).toBe(true);
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200);

    run.proc.kill("SIGINT");
    expect(await run.proc.exited).toBe(0);
    expect(run.output.some((l) => l.startsWith("rental") && l.includes("stopped cleanly"))).toBe(true);
    expect(await answers(port)).toBe(false);
    expect(await answers(redisPort)).toBe(false); // the Redis it started is stopped too
    expect(await Bun.file(`${run.dir}/rental.db`).exists()).toBe(true);
  });

  test("the Redis it starts requires a password made once under data/; its workers and the operator commands find it, clients without it are refused", async () => {
    const redisPort = await freePort();
    const prefix = testPrefix("launch");
    const run = launch(["rental"], { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: "0", STREAM_PREFIX: prefix });
    const port = await eventually(() => {
      const line = run.output.find((l) => l.startsWith("rental") && l.includes("listening"));
      return line ? Number(/"port":(\d+)/.exec(line)?.[1]) : undefined;
    }, { what: "rental listening", timeoutMs: 20_000 });
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200);
    const file = `${run.dir}/redis/password`;
    const password = (await Bun.file(file).text()).trim();
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const anonymous = connectRedis(`redis://127.0.0.1:${redisPort}`, "command", "launcher-test");
    cleanup.defer(() => anonymous.disconnect());
    expect(await anonymous.ping().catch((e: Error) => e.message)).toMatch(/NOAUTH/);
    const command = await runScript("scripts/dead-letters.ts", ["list", "--group", "rental"], {
      DATA_DIR: run.dir, REDIS_URL: `redis://127.0.0.1:${redisPort}`, STREAM_PREFIX: prefix,
    });
    expect([command.code, command.out.trim()]).toEqual([0, "no dead letters"]);
    expect(run.output.join("\n")).not.toContain(password);
    expect(command.out + command.err).not.toContain(password);

    run.proc.kill("SIGINT");
    expect(await run.proc.exited).toBe(0);
  });

  test("says in one line how to install redis-server when it is missing", async () => {
    const run = launch(["rental"], { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, PATH: "/nonexistent" });
    expect(await run.proc.exited).toBe(1);
    expect((await run.errors).trim()).toMatch(/^start: redis-server is not installed: .*apt-get install redis-server/);
  });

  test("a process stopped by its configuration is not restarted, and the launcher exits", async () => {
    const redisPort = await freePort();
    const run = launch(["rental"], { REDIS_URL: `redis://127.0.0.1:${redisPort}`, PORT: "eighty" });
    expect(await run.proc.exited).toBe(1);
    expect(run.output.join("\n")).toContain('config error: PORT: must be a number (got "eighty")');
    expect(run.output.filter((l) => l.includes("config error")).length).toBe(1);
    expect(await answers(redisPort)).toBe(false);
  });

  test("refuses settings that would be shared by every process", async () => {
    const run = launch([], { PORT: "9000" });
    expect(await run.proc.exited).toBe(1);
    expect(await run.errors).toContain("PORT would be shared by 6 processes");
  });
});
