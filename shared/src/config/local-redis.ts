import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The Redis that `npm start` launches requires a password, made once and kept under the data
 * directory; the launcher hands it to every process in REDIS_URL, and every operator command
 * finds it here the same way (`resolveRedisUrl`). Another Redis (REDIS_URL with its own
 * credentials, a Secret in a cluster) is used as given.
 */

const ROOT = resolve(import.meta.dir, "../../..");
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

type Env = Record<string, string | undefined>;

/** Where npm start keeps its data: DATA_DIR relative to the repository, default `data`. */
export const localDataDir = (env: Env = process.env) => resolve(ROOT, env.DATA_DIR || "data");

/** The launcher's Redis password file (one line, mode 0600). */
export const redisPasswordFile = (dataDir: string) => join(dataDir, "redis", "password");

/** The password the launcher made for its Redis, if it has made one. */
function readLocalRedisPassword(dataDir: string): string | undefined {
  const file = redisPasswordFile(dataDir);
  return existsSync(file) ? readFileSync(file, "utf8").trim() || undefined : undefined;
}

/** The launcher's Redis password, made now (random, 32 bytes as hex) if there is none yet. */
export function ensureLocalRedisPassword(dataDir: string): string {
  const known = readLocalRedisPassword(dataDir);
  if (known) return known;
  const file = redisPasswordFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  const password = randomBytes(32).toString("hex");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // a umask could have widened it
  return password;
}

/** `url` with `password` for the default user, unless it carries credentials already. */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  if (u.password || u.username) return url;
  u.password = password;
  return u.toString().replace(/\/$/, "");
}

/** Whether `url` names a Redis on this machine, the only kind npm start launches. */
export const isLocalRedis = (url: string) => LOOPBACK.has(new URL(url).hostname);

/**
 * The Redis URL of a process or an operator command: REDIS_URL (default the local one), with
 * the launcher's password added when it names a local Redis without credentials and the
 * launcher has made one under DATA_DIR.
 */
export function resolveRedisUrl(env: Env = process.env): string {
  const url = env.REDIS_URL || DEFAULT_REDIS_URL;
  if (!isLocalRedis(url)) return url;
  const password = readLocalRedisPassword(localDataDir(env));
  return password ? withPassword(url, password) : url;
}

/** `env` with REDIS_URL resolved (see resolveRedisUrl), for a command's config parser. */
export const withLocalRedis = (env: Env = process.env): Env => ({ ...env, REDIS_URL: resolveRedisUrl(env) });
