import type { Database } from "../db/database.ts";

export interface WriteFaults {
  /** The n-th write from now fails, once (SQLITE_BUSY, a libSQL server error). */
  failNth(n: number): void;
  /** The n-th write from now and every later one fail (the process was killed there). */
  failFrom(n: number): void;
  /** How many writes failed so far. */
  readonly failures: number;
}

/**
 * Makes writes to `db` fail on demand: `write`, `batch` and any `execute` that is not a
 * SELECT count as writes; reads pass. Patches the instance itself, so its single writer
 * queue (one connection for an embedded file) stays the one everybody uses.
 */
export function injectWriteFaults(db: Database): WriteFaults {
  const original = { write: db.write.bind(db), batch: db.batch.bind(db), execute: db.execute.bind(db) };
  let count = 0;
  let failAt = Number.POSITIVE_INFINITY;
  let sticky = false;
  let failures = 0;
  const gate = () => {
    count += 1;
    if (count === failAt || (sticky && count > failAt)) {
      failures += 1;
      throw new Error("SQLITE_BUSY: database is locked (injected write failure)");
    }
  };
  const isRead = (statement: Parameters<Database["execute"]>[0]) =>
    /^\s*select\b/i.test(typeof statement === "string" ? statement : statement.sql);

  db.write = async (fn) => {
    gate();
    return original.write(fn);
  };
  db.batch = async (statements) => {
    gate();
    return original.batch(statements);
  };
  db.execute = async (statement) => {
    if (!isRead(statement)) gate();
    return original.execute(statement);
  };
  const arm = (n: number, always: boolean) => {
    count = 0;
    failAt = n;
    sticky = always;
  };
  return {
    failNth: (n) => arm(n, false),
    failFrom: (n) => arm(n, true),
    get failures() {
      return failures;
    },
  };
}
