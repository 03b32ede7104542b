import { z } from "zod";
import type { Redis } from "../bus/redis.ts";
import type { Database } from "../db/database.ts";

/**
 * What a worker tells the operators' invariant check (scripts/check-invariants.ts) about
 * itself, so that the check can run where only the gateway is reachable (a cluster): its
 * outbox, its consumer group, its dead letters, facts of its own (rental's overlapping
 * windows, delivery's jobs), and its rows keyed by rental, a page at a time. The same
 * readers feed the check straight from the databases and Redis (read-facts.ts).
 */

/** Where each worker serves its facts, and the gateway all of them. */
export const INVARIANTS_PATH = "/admin/invariants";
/** Rows per page unless the caller asks for fewer (or more, up to MAX_ROWS_PAGE). */
export const DEFAULT_ROWS_PAGE = 500;
/** The most rows one page holds: a page stays a few hundred kilobytes whatever the database holds. */
export const MAX_ROWS_PAGE = 1000;

/** The worker's consumer group on one stream it reads. */
export const GroupFacts = z.object({
  group: z.string(),
  /** The stream's Redis key. */
  stream: z.string(),
  /** False when Redis does not hold the group: it has read nothing there. */
  exists: z.boolean(),
  /** Entries delivered to the group and not acked. */
  pending: z.number().int().nonnegative(),
});
export type GroupFacts = z.infer<typeof GroupFacts>;

/** What every worker reports from its database and its own part of Redis. */
export const MessagingFacts = z.object({
  worker: z.string(),
  /** Its outbox's unpublished rows; null for a worker that publishes nothing. */
  outbox: z.object({ unpublished: z.number().int().nonnegative() }).nullable(),
  /** Its consumer group on each stream it reads (none for a worker that reads nothing). */
  groups: z.array(GroupFacts),
  /** Its group's dead letters: on the group's dead-letter stream and moved to its database. */
  deadLetters: z.object({
    group: z.string(),
    onStream: z.number().int().nonnegative(),
    inDatabase: z.number().int().nonnegative(),
  }).nullable(),
});
export type MessagingFacts = z.infer<typeof MessagingFacts>;

/** What a worker's own facts are read from. */
export interface FactsContext {
  db: Database;
  redis: Redis;
  prefix: string;
}

/** Rows with a rental id in (after, through], in rental id order, at most `limit`. */
export interface RowRange {
  after: number;
  through: number;
  limit: number;
}

/**
 * A worker's part, which lives in the worker: its rows keyed by rental (one per rental at
 * most), and facts of its own that the check needs beside them.
 */
export interface WorkerFactsSpec<Row extends { rentalId: number } = { rentalId: number }, Own = unknown> {
  row: z.ZodType<Row>;
  readRows(db: Database, range: RowRange): Promise<Row[]>;
  own: z.ZodType<Own>;
  readOwn(ctx: FactsContext): Promise<Own>;
}

/** A spec's rows and own facts, as its type. */
export type RowOf<S> = S extends WorkerFactsSpec<infer R, unknown> ? R : never;
export type OwnOf<S> = S extends WorkerFactsSpec<{ rentalId: number }, infer O> ? O : never;

/** For a worker with no facts of its own. */
export const noOwnFacts = { own: z.object({}), readOwn: async () => ({}) };

/** `GET /admin/invariants` of a worker: its messaging facts and its own. */
export const workerFactsSchema = <Own>(spec: { own: z.ZodType<Own> }) => MessagingFacts.extend({ own: spec.own });
export type WorkerFacts<Own = unknown> = MessagingFacts & { own: Own };

/** `GET /admin/invariants/{worker}/rows`: a page, and the cursor to the next one (the last rental id it holds). */
export const rowsPageSchema = <Row>(row: z.ZodType<Row>) => z.object({ items: z.array(row), nextCursor: z.string().nullable() });
export interface RowsPage<Row> {
  items: Row[];
  nextCursor: string | null;
}
