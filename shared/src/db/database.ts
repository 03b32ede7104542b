import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createClient, type Client, type InStatement, type Transaction } from "@libsql/client";

/** How long a local writer waits for a lock held by another process before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * A libSQL database with one writer path (docs/architecture.md, 'libSQL').
 *
 * Writes are serialised through an in-process queue: the embedded driver is synchronous,
 * so two interleaved write transactions in one process would deadlock on the file lock.
 * An embedded database also keeps a single connection (so its pragmas hold and `:memory:`
 * works), which an open transaction holds: there, reads wait in the same queue. Against a
 * libSQL server, reads go straight to the client.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly client: Client,
    readonly embedded: boolean,
  ) {}

  private enqueue<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => {});
    return next;
  }

  /** Runs `fn` in a write transaction; commits when it returns, rolls back when it throws. */
  write<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const tx = await this.client.transaction("write");
      try {
        const result = await fn(tx);
        await tx.commit();
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
  batch(statements: InStatement[]) {
    return this.enqueue(() => this.client.batch(statements, "write"));
  }

  /** A single statement outside any transaction (reads, mostly). */
  execute(statement: InStatement) {
    return this.embedded
      ? this.enqueue(() => this.client.execute(statement))
      : this.client.execute(statement);
  }

  async ping(): Promise<void> {
    await this.execute("SELECT 1");
  }

  async close(): Promise<void> {
    await this.tail;
    this.client.close();
  }
}

export async function openDatabase(url: string, authToken?: string): Promise<Database> {
  const embedded = url.startsWith("file:") || url === ":memory:";
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).split("?")[0]!;
    if (path && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({
    url,
    authToken,
    ...(embedded ? { concurrency: 1, timeout: BUSY_TIMEOUT_MS } : {}),
  });
  if (embedded) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
    await client.execute(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  return new Database(client, embedded);
}
