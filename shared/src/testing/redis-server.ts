import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { redisServerArgs } from "../bus/redis-server-args.ts";
import { restoreAofSnapshot, snapshotAof } from "./aof-snapshot.ts";

/**
 * A TCP port free now, for a process to listen on later (an address that must be known before
 * the process starts: an issuer, a public URL, a port to come back on). It is drawn at random
 * below the kernel's ephemeral range, where neither outgoing connections nor `PORT=0`
 * listeners take ports: a port the kernel handed out would be free only until the next of
 * those (a stack once lost its gateway's port to one while its workers started).
 */
export async function freePort(): Promise<number> {
  const [from, below] = PORTS_BELOW_EPHEMERAL;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = from + Math.floor(Math.random() * (below - from));
    // Not one handed out already in this run: it may not be listened on yet.
    if (!handedOut.has(port) && bindable(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port found in ${from}–${below - 1}`);
}

const handedOut = new Set<number>();

/**
 * Where freePort draws: from 10000 up to where the kernel's ephemeral range starts (32768
 * unless /proc says otherwise, on Linux). A machine whose ephemeral range starts lower
 * leaves no such room, and is told so rather than given ports the race can take.
 */
const PORTS_BELOW_EPHEMERAL = ((): [number, number] => {
  const FROM = 10_000;
  let low = 32_768;
  try {
    low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
  } catch {
    // Not Linux: the usual default.
  }
  if (!Number.isInteger(low) || low < FROM + 1_000) {
    throw new Error(`the kernel's ephemeral ports start at ${low}: tests need 10000–10999 at least outside them ` +
      "(sysctl net.ipv4.ip_local_port_range)");
  }
  return [FROM, low];
})();

function bindable(port: number): boolean {
  try {
    Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } }).stop(true);
    return true;
  } catch {
    return false;
  }
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  proc: Subprocess;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts again on the same port and data directory (AOF replays what was synced). */
  restart(): Promise<void>;
  /** SIGKILL, then start again with nothing on disk: a crash that lost every write. */
  restartEmpty(): Promise<void>;
  /** Copies the AOF as it is now (aof-snapshot.ts), for restartFromSnapshot. */
  snapshotAof(): Promise<void>;
  /**
   * SIGKILL, put the snapshot back as the AOF, start again: a crash whose last writes never
   * reached the disk (with `appendfsync everysec`, up to a second of them). Killing the
   * process alone loses nothing, the kernel still holds what it wrote.
   */
  restartFromSnapshot(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** A port to start on (a restart test's), rather than a free one. */
  port?: number;
  /** A memory limit such as `12mb` (see redisServerArgs); none unless given. */
  maxmemory?: string;
  /** A password it requires (`requirepass`), which `url` then carries, as npm start's Redis does. */
  password?: string;
}

/**
 * Starts a private `redis-server` on a free port, durable as every Redis of the system is
 * (redisServerArgs), in a temporary directory. Tests never touch the machine's Redis.
 * A number is the port to start on (the older form of `{ port }`).
 */
export async function startRedisServer(options: number | RedisServerOptions = {}): Promise<RedisServer> {
  const { port: fixedPort, maxmemory, password } = typeof options === "number" ? { port: options, maxmemory: undefined, password: undefined } : options;
  const auth = password ? ["--requirepass", password] : [];
  if (!Bun.which("redis-server")) {
    throw new Error("redis-server is not on PATH: the integration tests start their own (apt-get install redis-server)");
  }
  const dir = mkdtempSync(join(tmpdir(), "rentalnang-redis-"));
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const spawnIt = () =>
      Bun.spawn(["redis-server", ...redisServerArgs({ port, bind: "127.0.0.1", dir, maxmemory }), ...auth], { stdout: "ignore", stderr: "ignore" });
    let proc = spawnIt();
    if (await waitForRedis(port, proc, password)) {
      const server: RedisServer = {
        url: password ? `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
        port,
        dir,
        proc,
        async kill() {
          server.proc.kill("SIGKILL");
          await server.proc.exited;
        },
        async restart() {
          server.proc = proc = spawnIt();
          if (!(await waitForRedis(port, proc, password))) throw new Error(`redis-server did not come back on ${port}`);
        },
        async restartEmpty() {
          await server.kill();
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir);
          await server.restart();
        },
        snapshotAof: () => snapshotAof(dir),
        async restartFromSnapshot() {
          await server.kill();
          restoreAofSnapshot(dir);
          await server.restart();
        },
        async stop() {
          server.proc.kill("SIGKILL");
          await server.proc.exited;
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return server;
    }
    proc.kill("SIGKILL");
    if (attempt >= 4) throw new Error("could not start redis-server (is it installed? apt-get install redis-server)");
  }
}

async function waitForRedis(port: number, proc: Subprocess, password?: string): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) return false;
    try {
      const socket = await Bun.connect({
        hostname: "127.0.0.1",
        port,
        socket: { data(s, d) { (s.data as { reply: string }).reply += d.toString(); } },
        data: { reply: "" },
      });
      socket.write(password ? `AUTH ${password}\r\nPING\r\n` : "PING\r\n");
      await Bun.sleep(20);
      const ok = (socket.data as { reply: string }).reply.replace(/^\+OK\r\n/, "").startsWith("+PONG");
      socket.end();
      if (ok) return true;
    } catch {
      // not listening yet
    }
    await Bun.sleep(25);
  }
  return false;
}
