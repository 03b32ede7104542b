import { existsSync } from "node:fs";
import { localDataDir } from "../config/local-redis.ts";
import { databaseVariable } from "../config/worker-database-urls.ts";
import { databaseFile, openDatabase, type Database } from "../db/database.ts";
import type { WorkerName } from "../topology/topology.ts";
import { fail } from "./command.ts";

/** Whether `url` names a database that is there to read (a file that exists, or a server's). */
export function databaseExists(url: string): boolean {
  const file = databaseFile(url);
  return file === undefined ? url !== ":memory:" : existsSync(file);
}

/** How to point a command at a worker's database: DATA_DIR, or the worker's own variable. */
export const databaseHint = (worker: WorkerName, env: Record<string, string | undefined> = process.env) =>
  `set DATA_DIR to where npm start keeps its data (now ${localDataDir(env)}), or ${databaseVariable(worker)}`;

/**
 * The workers among `workers` whose database is there. None there ends the command in one line:
 * DATA_DIR (or a URL) points at the wrong place, and the line says where it looked.
 */
export function requireSomeDatabase(command: string, workers: readonly WorkerName[], urls: Record<WorkerName, string>): WorkerName[] {
  const present = workers.filter((w) => databaseExists(urls[w]));
  if (present.length > 0) return present;
  const [only] = workers;
  if (workers.length === 1 && only) fail(command, `no ${only} database at ${urls[only]}: ${databaseHint(only)}`);
  const dir = localDataDir();
  fail(command, `no worker's database is there (looked in ${existsSync(dir) ? dir : `${dir}, which does not exist`}): set DATA_DIR to where npm start keeps its data, or <WORKER>_DATABASE_URL`);
}

/**
 * Opens a worker's database for an operator command that only reads or repairs it: one that is
 * not there ends the command in one line (never creates it: an empty file would hide the mistake).
 */
export async function openExistingDatabase(command: string, worker: WorkerName, url: string, authToken?: string): Promise<Database> {
  if (!databaseExists(url)) fail(command, `no ${worker} database at ${url}: ${databaseHint(worker)}`);
  return openDatabase(url, authToken);
}
