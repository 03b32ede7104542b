import { join, resolve } from "node:path";
import { z } from "zod";
import { workerNames, type WorkerName } from "../topology/topology.ts";
import { databaseUrl } from "./fields.ts";
import { loadConfig } from "./load-config.ts";

const ROOT = resolve(import.meta.dir, "../../..");

/** The variable that names one worker's database to a command run beside a stack: RENTAL_DATABASE_URL. */
export const databaseVariable = (worker: WorkerName) => `${worker.toUpperCase()}_DATABASE_URL`;

/**
 * The database of every worker, for an operator command that runs beside a stack:
 * `<WORKER>_DATABASE_URL`, else where `npm start` puts it, `$DATA_DIR/<worker>.db` with
 * DATA_DIR relative to the repository (default `data`). A bad URL is a ConfigError naming
 * the variable.
 */
export function workerDatabaseUrls(env: Record<string, string | undefined> = process.env): Record<WorkerName, string> {
  const dataDir = resolve(ROOT, env.DATA_DIR || "data");
  const schema = z.object(Object.fromEntries(workerNames.map((w) => [databaseVariable(w), databaseUrl(w)])));
  const defaults = Object.fromEntries(workerNames.map((w) => [databaseVariable(w), `file:${join(dataDir, `${w}.db`)}`]));
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value));
  const urls = loadConfig(schema, { ...defaults, ...given }) as Record<string, string>;
  return Object.fromEntries(workerNames.map((w) => [w, urls[databaseVariable(w)]!])) as Record<WorkerName, string>;
}
