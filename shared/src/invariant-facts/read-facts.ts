import { readStreamState } from "../bus/stream-groups.ts";
import type { Database } from "../db/database.ts";
import { countStoredDeadLetters } from "../db/dead-letter-store.ts";
import { countUnpublished } from "../db/outbox/outbox-rows.ts";
import { deadLetterKey, streamKey } from "../topology/redis-keys.ts";
import { consumerGroupOf, workerTopology, type WorkerName } from "../topology/topology.ts";
import type { FactsContext, GroupFacts, MessagingFacts, RowRange, RowsPage, WorkerFacts, WorkerFactsSpec } from "./facts.ts";

/**
 * Reading a worker's facts: one implementation for its operator route (invariant-routes.ts)
 * and for the check run straight against the databases and Redis.
 */

/** The worker's group on each stream it reads; a group Redis does not hold says so. */
async function groupsOf(worker: WorkerName, ctx: FactsContext): Promise<GroupFacts[]> {
  const facts: GroupFacts[] = [];
  for (const name of consumerGroupOf(worker)?.streams ?? []) {
    const stream = streamKey(ctx.prefix, name);
    const state = await readStreamState(ctx.redis, stream, [worker]);
    const g = state.groups.find((g) => g.group === worker)!;
    facts.push({ group: worker, stream, exists: g.exists, pending: g.pending });
  }
  return facts;
}

/** What a worker's outbox, consumer group and dead letters hold now. */
export async function readMessagingFacts(worker: WorkerName, ctx: FactsContext): Promise<MessagingFacts> {
  const group = consumerGroupOf(worker);
  return {
    worker,
    outbox: workerTopology(worker).publishes ? { unpublished: await countUnpublished(ctx.db) } : null,
    groups: await groupsOf(worker, ctx),
    deadLetters: group
      ? {
        group: group.group,
        onStream: await ctx.redis.xlen(deadLetterKey(ctx.prefix, group.group)),
        inDatabase: await countStoredDeadLetters(ctx.db, group.group),
      }
      : null,
  };
}

/** `GET /admin/invariants`: the worker's messaging facts and its own. */
export async function readWorkerFacts<Own>(worker: WorkerName, spec: WorkerFactsSpec<{ rentalId: number }, Own>, ctx: FactsContext): Promise<WorkerFacts<Own>> {
  return { ...(await readMessagingFacts(worker, ctx)), own: await spec.readOwn(ctx) };
}

/** One page of the worker's rows: `range.limit` of them, and the cursor after the last when more follow. */
export async function readRowsPage<Row extends { rentalId: number }>(spec: WorkerFactsSpec<Row, unknown>, db: Database, range: RowRange): Promise<RowsPage<Row>> {
  const rows = await spec.readRows(db, { ...range, limit: range.limit + 1 });
  const items = rows.slice(0, range.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > range.limit && last ? String(last.rentalId) : null };
}

/** The upper bound of a range that has none: past every rental id. */
export const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;
