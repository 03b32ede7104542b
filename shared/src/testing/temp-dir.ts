import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir extends Disposable {
  dir: string;
  /** The libSQL URL of a database file in it. */
  db(name: string): string;
  cleanup(): void;
}

/** A temporary directory for a test's databases; `cleanup()` (or disposal) removes it. */
export function tempDir(label: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), `rentalnang-${label}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return { dir, db: (name) => `file:${join(dir, `${name}.db`)}`, cleanup, [Symbol.dispose]: cleanup };
}
