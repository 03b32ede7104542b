/**
 * `npm start` / `npm run start:<name>`: runs the stack on one machine.
 *
 * Starts a local redis-server (data under $DATA_DIR/redis, AOF on, noeviction, a password
 * made once in $DATA_DIR/redis/password) when nothing answers at REDIS_URL, then every worker
 * (or the ones named), each given REDIS_URL with that password, each with its output
 * prettified and prefixed by its name. A worker that dies is restarted; Ctrl-C or SIGTERM
 * stops them all cleanly (SIGTERM, then SIGKILL after a deadline), then Redis if we started it.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { prettyFactory } from "pino-pretty";
import { fail, parseCommand } from "@rentalnang/shared/cli/command";
import { probe } from "@rentalnang/shared/cli/operator-redis";
import { redisServerArgs } from "@rentalnang/shared/bus/redis-server-args";
import { lines } from "@rentalnang/shared/lifecycle/lines";
import { EXIT_CONFIG } from "@rentalnang/shared/lifecycle/exit-codes";
import { RUNTIME_ENV } from "@rentalnang/shared/lifecycle/runtime-env";
import { isWorker, startOrder, type ProcessName } from "@rentalnang/shared/topology/topology";
import { redactUrl } from "@rentalnang/shared/config/load-config";
import { ensureLocalRedisPassword, localDataDir, redisPasswordFile, resolveRedisUrl, withPassword } from "@rentalnang/shared/config/local-redis";

const ROOT = resolve(import.meta.dir, "..");
const ORDER: string[] = startOrder();
const STOP_DEADLINE_MS = 25_000;
const RESTART_DELAY_MS = 1_000;
const COLORS = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[31m"];
const RESET = "\x1b[0m";
const tty = process.stdout.isTTY;

const available = ORDER.filter((name) => existsSync(join(ROOT, "workers", name, "src", "main.ts")));
const { positionals: wanted } = parseCommand({
  name: "start",
  summary: "Runs the stack on one machine: a local redis-server (when nothing answers at REDIS_URL) and every process,\n" +
    "restarting one that dies; Ctrl-C stops them all cleanly.",
  usage: `[${available.join("|")} ...]`,
  flags: {},
  notes: ["settings: DATA_DIR (default data: the databases, Redis's data and its password), REDIS_URL, and each process's own."],
  examples: ["npm start", "npm run start:mypage", "DATA_DIR=/tmp/rn npm start"],
});
for (const name of wanted) {
  if (!available.includes(name)) fail("start", `unknown process "${name}"; choose from: ${available.join(", ")}`);
}
const names = wanted.length > 0 ? wanted : available;
for (const perProcess of ["PORT", "DATABASE_URL"]) {
  if (process.env[perProcess] && names.length > 1) {
    fail("start", `${perProcess} would be shared by ${names.length} processes: set it only with npm run start:<name> (DATA_DIR moves every database)`);
  }
}
/** Where npm start keeps its data: the workers' libSQL files (unless DATABASE_URL says otherwise) and Redis's. */
const dataDir = localDataDir();
/** REDIS_URL, with the password of the Redis a previous run launched (the operator commands find it alike). */
let redisUrl = resolveRedisUrl();

const width = Math.max(...names.map((n) => n.length), "start".length);
const pretty = prettyFactory({ colorize: tty, ignore: "pid,hostname,service,name", translateTime: "SYS:HH:MM:ss.l", singleLine: true });
let shuttingDown = false;

function say(name: string, line: string) {
  const i = ["redis", "start", ...ORDER].indexOf(name);
  const tag = name.padEnd(width);
  const prefix = tty ? `${COLORS[i % COLORS.length]}${tag}${RESET} |` : `${tag} |`;
  process.stdout.write(`${prefix} ${line}\n`);
}

/** The redis-server this launcher started, if any: it is stopped whenever the launcher ends. */
let startedRedis: Bun.Subprocess | undefined;

/** True once Redis answers PING (a Redis still loading its AOF answers LOADING: not yet). */
async function redisAnswers(url: string): Promise<boolean> {
  const reason = await probe(url);
  if (reason && /NOAUTH|WRONGPASS|invalid password/i.test(reason)) {
    fail("start", `the Redis at ${redactUrl(url)} wants another password: put it in REDIS_URL (redis://:PASSWORD@host:port)`);
  }
  return reason === undefined;
}

/**
 * A config file holding the password (mode 0600), read by redis-server before its flags, so
 * that the password shows in no process list.
 */
function passwordConfig(dir: string, password: string): string {
  const file = join(dir, "auth.conf");
  writeFileSync(file, `requirepass "${password}"\n`, { mode: 0o600 });
  return file;
}

/** How long a redis-server we started may take to load its AOF before answering. */
const REDIS_START_TIMEOUT_MS = 60_000;

async function ensureRedis(): Promise<void> {
  if (await redisAnswers(redisUrl)) {
    say("redis", `using the Redis at ${redactUrl(redisUrl)}`);
    return;
  }
  const url = new URL(redisUrl);
  const bind = { localhost: "127.0.0.1", "[::1]": "::1" }[url.hostname] ?? url.hostname;
  if (!["127.0.0.1", "::1"].includes(bind)) {
    fail("start", `nothing answers at REDIS_URL=${redactUrl(redisUrl)}, and it is not local, so it cannot be started here`);
  }
  const binary = Bun.which("redis-server");
  if (!binary) {
    fail("start", "redis-server is not installed: `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), or set REDIS_URL to a running Redis");
  }
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const port = url.port || "6379";
  const password = url.password ? decodeURIComponent(url.password) : ensureLocalRedisPassword(dataDir);
  redisUrl = withPassword(redisUrl, password);
  const proc = Bun.spawn(
    [binary, passwordConfig(dir, password), ...redisServerArgs({ port, bind, dir })],
    // Its own process group: a terminal's Ctrl-C must not stop Redis before the workers drain.
    { stdout: "pipe", stderr: "pipe", detached: true },
  );
  startedRedis = proc;
  pipeLines("redis", proc.stdout, (l) => l);
  pipeLines("redis", proc.stderr, (l) => l);
  const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await redisAnswers(redisUrl)) {
      say("redis", `started redis-server on port ${port} (data in ${dir}; it requires ${url.password ? "REDIS_URL's password" : `the password in ${redisPasswordFile(dataDir)}`})`);
      return;
    }
    if (proc.exitCode !== null) fail("start", `redis-server exited with code ${proc.exitCode}`);
    await Bun.sleep(100);
  }
  fail("start", `redis-server did not answer within ${REDIS_START_TIMEOUT_MS / 1000} s`);
}

async function pipeLines(name: string, stream: ReadableStream<Uint8Array>, format: (line: string) => string) {
  for await (const line of lines(stream)) if (line.trim()) say(name, format(line));
}

function prettify(line: string): string {
  if (!line.startsWith("{")) return line;
  try {
    return pretty(JSON.parse(line)).trimEnd();
  } catch {
    return line;
  }
}

const children = new Map<string, Bun.Subprocess>();

/** A worker that dies sooner than this after starting is crash-looping: back off. */
const HEALTHY_AFTER_MS = 10_000;
const MAX_RESTART_DELAY_MS = 30_000;
const restartDelay = new Map<string, number>();

function startWorker(name: string) {
  const started = Date.now();
  const proc = Bun.spawn([process.execPath, join(ROOT, "workers", name, "src", "main.ts")], {
    cwd: ROOT,
    env: { ...RUNTIME_ENV, DATABASE_URL: `file:${join(dataDir, `${name}.db`)}`, ...process.env, REDIS_URL: redisUrl },
    stdout: "pipe",
    stderr: "pipe",
  });
  children.set(name, proc);
  pipeLines(name, proc.stdout, prettify);
  pipeLines(name, proc.stderr, prettify);
  proc.exited.then((code) => {
    if (shuttingDown) return;
    if (code === EXIT_CONFIG) {
      children.delete(name);
      say(name, "stopped by its configuration (see the line above); fix it and run npm start again");
      if (children.size === 0) void stopAll("nothing left to run", 1);
      return;
    }
    const delay = Date.now() - started > HEALTHY_AFTER_MS
      ? RESTART_DELAY_MS
      : Math.min((restartDelay.get(name) ?? RESTART_DELAY_MS / 2) * 2, MAX_RESTART_DELAY_MS);
    restartDelay.set(name, delay);
    say(name, `exited with code ${code}; restarting in ${delay} ms`);
    setTimeout(() => !shuttingDown && startWorker(name), delay);
  });
}

process.on("SIGINT", () => void stopAll("SIGINT"));
process.on("SIGTERM", () => void stopAll("SIGTERM"));
process.on("SIGHUP", () => void stopAll("SIGHUP"));
// If the launcher itself dies (a closed terminal, an uncaught error, a failed start), take
// the workers and the Redis it started along rather than leave them unsupervised.
process.on("exit", () => {
  for (const proc of children.values()) if (proc.exitCode === null) proc.kill("SIGKILL");
  if (startedRedis?.exitCode === null) startedRedis.kill("SIGTERM");
});
process.stdout.on("error", () => void stopAll("output closed", 1));

// identity uses no Redis, and the gateway counts its rate limits alone without it: either
// one alone starts without Redis.
if (names.some((name) => isWorker(name as ProcessName))) await ensureRedis();
for (const name of names) startWorker(name);

async function stopAll(signal: string, exitCode = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  say("start", children.size > 0 ? `${signal}: stopping ${[...children.keys()].join(", ")}` : `${signal}: stopping`);
  const exits = [...children.entries()].map(async ([name, proc]) => {
    proc.kill("SIGTERM");
    const done = await Promise.race([proc.exited, Bun.sleep(STOP_DEADLINE_MS).then(() => "timeout" as const)]);
    if (done === "timeout") {
      say(name, "did not stop in time; killing it");
      proc.kill("SIGKILL");
      await proc.exited;
    }
  });
  await Promise.all(exits);
  if (startedRedis) {
    startedRedis.kill("SIGTERM");
    await startedRedis.exited;
  }
  process.exit(exitCode);
}
