import type { Redis } from "@rentalnang/shared/bus/redis";
import { memoryReading } from "@rentalnang/shared/bus/redis-memory";
import { readStreamState } from "@rentalnang/shared/bus/stream-groups";
import type { Database } from "@rentalnang/shared/db/database";
import { countStoredDeadLetters } from "@rentalnang/shared/db/dead-letter-store";
import { countUnpublished } from "@rentalnang/shared/db/outbox/outbox-rows";
import { deadLetterKey, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups, consumersOf, streamNames, workerNames, workerTopology, type WorkerName } from "@rentalnang/shared/topology/topology";

export interface StatusSources {
  redis: Redis;
  prefix: string;
  /** The databases that are there; a worker missing here is reported as such. */
  dbs: Partial<Record<WorkerName, Database>>;
  budgetShare: number;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? "none" : `${(bytes / 2 ** 20).toFixed(1)} MB`);
const cell = (value: string | number, width: number) => String(value).padEnd(width);

/** What a query on a database answered, or why it could not (no such table yet). */
async function count(db: Database | undefined, read: (db: Database) => Promise<number>): Promise<string> {
  if (!db) return "no database";
  try {
    return String(await read(db));
  } catch (error) {
    return `unreadable (${error instanceof Error ? error.message.split("\n")[0] : error})`;
  }
}

/** Per stream its length, and per consumer group its lag (not yet delivered) and pending (delivered, not acked). */
async function streamLines(s: StatusSources): Promise<string[]> {
  const lines = ["streams and consumer groups:", `  ${cell("stream", 12)}${cell("length", 9)}${cell("group", 10)}${cell("lag", 8)}pending`];
  for (const stream of streamNames) {
    const state = await readStreamState(s.redis, streamKey(s.prefix, stream), consumersOf(stream));
    for (const [i, g] of state.groups.entries()) {
      const head = i === 0 ? `${cell(stream, 12)}${cell(state.length, 9)}` : " ".repeat(21);
      lines.push(`  ${head}${cell(g.group, 10)}${cell(g.lag, 8)}${g.pending}${g.exists ? "" : "  (group not created yet: its worker never started)"}`);
    }
  }
  return lines;
}

/** Rows each publishing worker has written to its outbox and not yet published. */
async function outboxLines(s: StatusSources): Promise<string[]> {
  const lines = ["outbox backlog (unpublished rows):"];
  for (const w of workerNames.filter((w) => workerTopology(w).publishes)) {
    const n = await count(s.dbs[w], countUnpublished);
    lines.push(`  ${cell(w, 10)}${n}`);
  }
  return lines;
}

/** Each group's dead letters, on its dead-letter stream and moved to its worker's database. */
async function deadLetterLines(s: StatusSources): Promise<string[]> {
  const lines = ["dead letters:", `  ${cell("group", 10)}${cell("stream", 8)}database`];
  for (const { group } of consumerGroups) {
    const onStream = await s.redis.xlen(deadLetterKey(s.prefix, group));
    lines.push(`  ${cell(group, 10)}${cell(onStream, 8)}${await count(s.dbs[group], (db) => countStoredDeadLetters(db, group))}`);
  }
  return lines;
}

/** Redis memory used against the budget (REDIS_MEMORY_BUDGET of maxmemory) and maxmemory. */
async function memoryLine(s: StatusSources): Promise<string> {
  const m = memoryReading(await s.redis.info("memory"), s.budgetShare);
  const share = m.budgetBytes ? ` (${((m.usedBytes / m.budgetBytes) * 100).toFixed(0)}% of the budget)` : "";
  const state = m.outOfMemory ? ": OUT OF MEMORY, writes refused" : m.overBudget ? ": over the relays' limit, events wait in the outboxes" : "";
  return `redis memory: ${mb(m.usedBytes)} used${share}, budget ${mb(m.budgetBytes)}, maxmemory ${m.maxBytes ? mb(m.maxBytes) : "none"}${state}`;
}

/** The whole status, one screen: streams and groups, outboxes, dead letters, memory. */
export async function statusReport(s: StatusSources): Promise<string> {
  const sections = [await streamLines(s), await outboxLines(s), await deadLetterLines(s), [await memoryLine(s)]];
  return sections.map((lines) => lines.join("\n")).join("\n");
}
