import { existsSync } from "node:fs";
import { localDataDir } from "../config/local-redis.ts";
import { databaseVariable } from "../config/worker-database-urls.ts";
import { openDatabase, type Database } from "../db/database.ts";
import type { WorkerName } from "../topology/topology.ts";
import { fail } from "./command.ts";

/** The file a `file:` URL names; undefined for another kind of URL or an in-memory one. */
function databaseFile(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  const path = url.slice("file:".length).split("?")[0]!;
  return path && path !== ":memory:" ? path : undefined;
}

/** Whether `url` names a database that is there to read (a file that exists, or a server's). */
export function databaseExists(url: string): boolean {
  const file = databaseFile(url);
  return file === undefined ? url !== ":memory:" : existsSync(file);
}

/** How to point a command at a worker's database: DATA_DIR, or the worker's own variable. */
export const databaseHint = (worker: WorkerName, env: Record<string, string | undefined> = process.env) =>
  `set DATA_DIR to where npm start keeps its data (now ${localDataDir(env)}), or ${databaseVariable(worker)}`;

/**
 * Opens a worker's database for an operator command that only reads or repairs it: one that is
 * not there ends the command in one line (never creates it: an empty file would hide the mistake).
 */
export async function openExistingDatabase(command: string, worker: WorkerName, url: string, authToken?: string): Promise<Database> {
  if (!databaseExists(url)) fail(command, `no ${worker} database at ${url}: ${databaseHint(worker)}`);
  return openDatabase(url, authToken);
}
