import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { InStatement } from "@libsql/client";
import { CheckpointPacer } from "./checkpoint-pacer.ts";
import { clientDriver, type Driver, type QueryResult, type Transaction } from "./driver.ts";
import { EmbeddedDriver } from "./embedded.ts";

export type { QueryResult, Row, Transaction } from "./driver.ts";

/** How long a local writer waits for a lock held by another process before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * A libSQL database with one writer path (docs/architecture.md, 'libSQL').
 *
 * Writes are serialised through an in-process queue: the embedded engine is synchronous,
 * so two interleaved write transactions in one process would deadlock on the file lock.
 * An embedded database also keeps a single connection (so its pragmas hold, its prepared
 * statements are kept, and `:memory:` works), which an open transaction holds: there, reads
 * wait in the same queue. Against a libSQL server, reads go straight to the client.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly driver: Driver,
    readonly embedded: boolean,
    /** A database file in this process: its WAL checkpoints run beside the writes (checkpoint-pacer.ts). */
    private readonly pacer?: CheckpointPacer,
  ) {}

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => {});
    return next;
  }

  /** Runs `fn` in a write transaction; commits when it returns, rolls back when it throws. */
  write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const tx = await this.driver.begin();
      try {
        const result = await fn(tx);
        await tx.commit();
        this.pacer?.wrote();
        return result;
      } catch (error) {
        if (!tx.closed) await tx.rollback().catch(() => {});
        throw error;
      } finally {
        tx.close();
      }
    });
  }

  /** Runs statements atomically, queued behind other writes. */
  batch(statements: InStatement[]): Promise<QueryResult[]> {
    return this.enqueue(async () => {
      const results = await this.driver.batch(statements);
      this.pacer?.wrote();
      return results;
    });
  }

  /** A single statement outside any transaction (reads, mostly; a write counts towards the checkpoint pacer). */
  execute(statement: InStatement): Promise<QueryResult> {
    if (!this.embedded) return this.driver.execute(statement);
    return this.enqueue(async () => {
      const result = await this.driver.execute(statement);
      if (result.rowsAffected > 0) this.pacer?.wrote();
      return result;
    });
  }

  async ping(): Promise<void> {
    await this.execute("SELECT 1");
  }

  async close(): Promise<void> {
    await this.tail;
    await this.pacer?.close();
    this.driver.close();
  }
}

export interface OpenOptions {
  /** JWT for a libSQL server that requires one. */
  authToken?: string | undefined;
  /**
   * Open even a file through @libsql/client, the path a libSQL server's URL takes (tests hold
   * both paths to the same behaviour; a file is otherwise opened with the embedded engine).
   */
  viaClient?: boolean;
}

/** The file a `file:` URL names; undefined for another kind of URL or an in-memory one. */
export function databaseFile(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  const path = url.slice("file:".length).split("?")[0]!;
  return path && path !== ":memory:" ? path : undefined;
}

/** Opens a database: `file:<path>` and `:memory:` in this process, any other URL on a libSQL server. */
export async function openDatabase(url: string, options: string | OpenOptions = {}): Promise<Database> {
  const { authToken, viaClient } = typeof options === "string" ? { authToken: options, viaClient: false } : options;
  const embedded = url.startsWith("file:") || url === ":memory:";
  const file = databaseFile(url);
  if (file) mkdirSync(dirname(file), { recursive: true });
  // @libsql/client is imported only for a server's URL: a process on files does not carry it.
  const driver = embedded && !viaClient
    ? new EmbeddedDriver(file ?? ":memory:", BUSY_TIMEOUT_MS)
    : clientDriver((await import("@libsql/client")).createClient({ url, authToken, ...(embedded ? { concurrency: 1, timeout: BUSY_TIMEOUT_MS } : {}) }));
  if (embedded) {
    await driver.execute("PRAGMA journal_mode = WAL");
    await driver.execute("PRAGMA synchronous = NORMAL");
    await driver.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  return new Database(driver, embedded, file ? new CheckpointPacer(file) : undefined);
}
