import type { Client, InStatement, Value } from "@libsql/client";

/**
 * What Database (database.ts) runs its SQL on: the embedded engine for a file or `:memory:`
 * (embedded.ts), or @libsql/client for a libSQL server (`libsql://`, `http(s)://`, `ws(s)://`).
 * Both answer in the same shapes, so a store's SQL runs unchanged on either.
 */

/** A row by column name. */
export type Row = Record<string, Value>;

/** What a statement gives back. */
export interface QueryResult {
  rows: Row[];
  /** Rows a write changed; 0 for a statement that returns rows (RETURNING included). */
  rowsAffected: number;
}

/** An open write transaction, as store functions and use cases see it. */
export interface Transaction {
  execute(statement: InStatement): Promise<QueryResult>;
}

export interface DriverTransaction extends Transaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Rolls back whatever is still open and gives the connection back; safe to call again. */
  close(): void;
  readonly closed: boolean;
}

export interface Driver {
  execute(statement: InStatement): Promise<QueryResult>;
  /** The statements in one write transaction: all or none. */
  batch(statements: InStatement[]): Promise<QueryResult[]>;
  /** A write transaction (BEGIN IMMEDIATE). */
  begin(): Promise<DriverTransaction>;
  close(): void;
}

/** @libsql/client as a Driver: a libSQL server's path. */
export function clientDriver(client: Client): Driver {
  return {
    execute: (statement) => client.execute(statement),
    batch: (statements) => client.batch(statements, "write"),
    begin: () => client.transaction("write"),
    close: () => client.close(),
  };
}
