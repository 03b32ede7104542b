import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/*
 * Redis 7 keeps its AOF in several parts under `<dir>/appendonlydir`: a manifest naming a
 * base file (the last rewrite) and the incr files appended since. A copy taken while Redis
 * runs holds everything Redis had written (write(2)) when each file was read, which is all
 * it had acknowledged: the AOF is written before replies go out. Restoring such a copy is
 * what a machine that crashed before its next fsync comes back with, `appendfsync everysec`
 * losing up to the last second.
 */

const AOF_DIR = "appendonlydir";
const SNAPSHOT_DIR = "aof-snapshot";
const ATTEMPTS = 20;

/**
 * Copies the AOF of the Redis whose data directory is `dir` into `dir/aof-snapshot`. The
 * files named by the manifest are copied, then the manifest is read again: if a rewrite
 * replaced them meanwhile the copy starts over. An incr file caught halfway through a write
 * ends in a torn command, which `aof-load-truncated yes` (Redis's default) drops on load.
 */
export async function snapshotAof(dir: string): Promise<void> {
  const aof = join(dir, AOF_DIR);
  const into = join(dir, SNAPSHOT_DIR);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const manifestName = readdirSync(aof).find((f) => f.endsWith(".manifest"));
    if (!manifestName) throw new Error(`no AOF manifest in ${aof}: is appendonly on?`);
    const manifest = readFileSync(join(aof, manifestName), "utf8");
    rmSync(into, { recursive: true, force: true });
    mkdirSync(into);
    try {
      for (const file of liveFiles(manifest)) copyFileSync(join(aof, file), join(into, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      await Bun.sleep(10); // a rewrite removed a file while we copied: start over
      continue;
    }
    if (readFileSync(join(aof, manifestName), "utf8") !== manifest) continue;
    writeFileSync(join(into, manifestName), manifest);
    return;
  }
  throw new Error(`the AOF in ${aof} kept changing under the copy (a rewrite loop?)`);
}

/** Puts the snapshot back as the AOF: call it while Redis is down. */
export function restoreAofSnapshot(dir: string): void {
  const from = join(dir, SNAPSHOT_DIR);
  if (!existsSync(from)) throw new Error("no AOF snapshot to restore: call snapshotAof() first");
  rmSync(join(dir, AOF_DIR), { recursive: true, force: true });
  cpSync(from, join(dir, AOF_DIR), { recursive: true });
}

/** The base and incr files a manifest names (history files are on their way out). */
function liveFiles(manifest: string): string[] {
  return manifest
    .split("\n")
    .map((line) => /^file (\S+) seq \d+ type ([bi])\b/.exec(line.trim())?.[1])
    .filter((file): file is string => file !== undefined);
}
