import type { Database, Transaction } from "./database.ts";

/** What a store function runs its SQL on: the database, or a transaction already open. */
export type Executor = Pick<Transaction, "execute"> | Database;
