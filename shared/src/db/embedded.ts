import { Buffer } from "node:buffer";
import type { InArgs, InStatement, InValue } from "@libsql/client";
import Libsql from "libsql";
import type { Driver, DriverTransaction, QueryResult, Row } from "./driver.ts";
import { RecentlyUsed } from "./recently-used.ts";

/**
 * A database file (or `:memory:`) opened in this process with libSQL's engine through the
 * `libsql` package, the same engine `@libsql/client` runs for a `file:` URL, minus its cost
 * per call: the client prepares every statement on every call and rebuilds each row, while
 * here each distinct SQL text is prepared once and kept, and rows come back as the engine
 * makes them. The engine is synchronous; Database (database.ts) queues the calls.
 */

/**
 * Prepared statements kept; SQL built for a varying number of rows adds texts, and the least
 * recently used go first, so the busiest (BEGIN IMMEDIATE, COMMIT, inbox and outbox) stay.
 */
const STATEMENTS_KEPT = 500;

interface Prepared {
  statement: Libsql.Statement;
  /** It returns rows (a SELECT, a PRAGMA that answers, a RETURNING): run with `all`. */
  reader: boolean;
}

export class EmbeddedDriver implements Driver {
  readonly #db: Libsql.Database;
  readonly #prepared = new RecentlyUsed<string, Prepared>(STATEMENTS_KEPT);
  #transaction: EmbeddedTransaction | undefined;

  constructor(path: string, busyTimeoutMs: number) {
    try {
      this.#db = new Libsql(path, { timeout: busyTimeoutMs });
    } catch (error) {
      throw asLibsqlError(error);
    }
  }

  /** Runs one statement now (the caller keeps calls from overlapping). */
  run(statement: InStatement): QueryResult {
    const { sql, args } = typeof statement === "string" ? { sql: statement, args: undefined } : statement;
    try {
      const { statement: prepared, reader } = this.#prepare(sql);
      const bound = toSqlArgs(args);
      if (reader) return { rows: prepared.all(bound) as Row[], rowsAffected: 0 };
      return { rows: [], rowsAffected: prepared.run(bound).changes };
    } catch (error) {
      throw asLibsqlError(error);
    }
  }

  async execute(statement: InStatement): Promise<QueryResult> {
    this.#checkNoTransaction();
    return this.run(statement);
  }

  /** The statements in one write transaction: all or none. */
  async batch(statements: InStatement[]): Promise<QueryResult[]> {
    const transaction = await this.begin();
    try {
      const results = statements.map((s) => transaction.run(s));
      await transaction.commit();
      return results;
    } finally {
      transaction.close();
    }
  }

  /** BEGIN IMMEDIATE: the write lock is taken at once (waiting up to the busy timeout for another process). */
  async begin(): Promise<EmbeddedTransaction> {
    this.#checkNoTransaction();
    this.run("BEGIN IMMEDIATE");
    return (this.#transaction = new EmbeddedTransaction(this, () => (this.#transaction = undefined)));
  }

  get inTransaction(): boolean {
    return this.#db.open && this.#db.inTransaction;
  }

  close(): void {
    this.#prepared.clear();
    if (this.#db.open) this.#db.close();
  }

  #prepare(sql: string): Prepared {
    let prepared = this.#prepared.get(sql);
    if (!prepared) {
      const statement = this.#db.prepare(sql);
      prepared = { statement, reader: statement.reader };
      this.#prepared.set(sql, prepared);
    }
    return prepared;
  }

  /** One connection: a statement outside an open transaction would land inside it. */
  #checkNoTransaction() {
    if (this.#transaction) throw new LibsqlError("A transaction is open on this connection", "TRANSACTION_ACTIVE");
  }
}

/** A write transaction on the driver's one connection, as @libsql/client's Transaction behaves. */
class EmbeddedTransaction implements DriverTransaction {
  #settled = false;

  constructor(
    private readonly driver: EmbeddedDriver,
    private readonly settle: () => void,
  ) {}

  run(statement: InStatement): QueryResult {
    if (this.closed) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return this.driver.run(statement);
  }

  async execute(statement: InStatement): Promise<QueryResult> {
    return this.run(statement);
  }

  async commit(): Promise<void> {
    try {
      this.run("COMMIT");
    } finally {
      this.close();
    }
  }

  async rollback(): Promise<void> {
    this.close();
  }

  /** Rolls back whatever is still open; safe to call again. */
  close(): void {
    if (this.#settled) return;
    this.#settled = true;
    try {
      if (this.driver.inTransaction) this.driver.run("ROLLBACK");
    } finally {
      this.settle();
    }
  }

  /** Closed once settled, or when SQLite rolled the transaction back by itself (some errors do). */
  get closed(): boolean {
    return this.#settled || !this.driver.inTransaction;
  }
}

/**
 * @libsql/client's LibsqlError, the same fields and message: the client itself (about 3 MB of
 * a process's memory) is loaded only for a libSQL server's URL (database.ts).
 */
class LibsqlError extends Error {
  constructor(message: string, readonly code: string, readonly extendedCode?: string, readonly rawCode?: number, cause?: unknown) {
    super(`${code}: ${message}`, { cause });
    this.name = "LibsqlError";
  }
}

/**
 * Arguments as the engine takes them. It aborts the process on a type it does not know (a
 * boolean), so values are converted here as @libsql/client converts them: booleans to 1/0,
 * dates to milliseconds, bytes to a Buffer; undefined and non-finite numbers are refused.
 */
function toSqlArgs(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.every(plain) ? args : args.map(toSqlValue);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSqlValue(value);
  return named;
}

const plain = (v: InValue) => v === null || typeof v === "string" || (typeof v === "number" && Number.isFinite(v));

function toSqlValue(value: InValue): unknown {
  if (plain(value)) return value;
  if (typeof value === "number") throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError(`${value === undefined ? "undefined" : typeof value} cannot be passed as argument to the database`);
}

/**
 * The engine's error in @libsql/client's shape, so both paths fail alike (errors.ts reads
 * `code`): `code` the base result code (`SQLITE_BUSY`), `extendedCode` the engine's own
 * (`SQLITE_BUSY_SNAPSHOT`).
 */
function asLibsqlError(error: unknown): unknown {
  if (!(error instanceof Libsql.SqliteError)) return error;
  const extended = String(error.code ?? "");
  const base = /^SQLITE_[A-Z]+/.exec(extended)?.[0] ?? "SQLITE_UNKNOWN";
  return new LibsqlError(error.message, base, extended, error.rawCode, error);
}
