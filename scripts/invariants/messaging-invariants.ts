import { Queue } from "bullmq";
import type { Redis } from "@rentalnang/shared/bus/redis";
import { readStreamState } from "@rentalnang/shared/bus/stream-groups";
import type { Database } from "@rentalnang/shared/db/database";
import { deadLetterKey, queuePrefix, streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroups, consumersOf, queues, streamNames, workerNames, workerTopology, type WorkerName } from "@rentalnang/shared/topology/topology";

export interface MessagingCounts {
  unpublished: number;
  pendingEntries: number;
  deadLetters: number;
}

/**
 * Everything in flight has landed: no outbox row waits, every consumer group the topology
 * declares exists and has acked all it read, no dead letters, no job left in a queue.
 */
export async function checkMessaging(
  src: { dbs: Record<WorkerName, Database>; redis: Redis; prefix: string },
  v: string[],
): Promise<MessagingCounts> {
  let unpublished = 0;
  for (const name of workerNames.filter((w) => workerTopology(w).publishes)) {
    const r = await src.dbs[name].execute("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL");
    const n = Number(r.rows[0]!.n);
    if (n) v.push(`${name} has ${n} unpublished outbox rows`);
    unpublished += n;
  }
  const pendingEntries = await checkGroups(src.redis, src.prefix, v);
  let deadLetters = 0;
  for (const { group } of consumerGroups) {
    const dead = await src.redis.xlen(deadLetterKey(src.prefix, group));
    if (dead > 0) v.push(`${group} has ${dead} dead letters`);
    deadLetters += dead;
  }
  await checkQueues(src.redis, src.prefix, v);
  return { unpublished, pendingEntries, deadLetters };
}

/**
 * Pending entries of every declared group. A group Redis does not hold is a violation of
 * its own: it has read nothing (its consumer never ran, or a Redis that lost it was never
 * read from again), which "0 pending" would hide.
 */
async function checkGroups(redis: Redis, prefix: string, v: string[]): Promise<number> {
  let pending = 0;
  for (const name of streamNames) {
    const stream = streamKey(prefix, name);
    const declared: readonly string[] = consumersOf(name);
    const { groups } = await readStreamState(redis, stream, declared);
    for (const g of groups.filter((g) => declared.includes(g.group))) {
      if (!g.exists) v.push(`${g.group} has no consumer group on ${stream}`);
      else if (g.pending > 0) v.push(`${g.group} has ${g.pending} pending entries on ${stream}`);
      pending += g.pending;
    }
  }
  return pending;
}

async function checkQueues(redis: Redis, prefix: string, v: string[]) {
  for (const { name } of queues) {
    const connection = redis.duplicate();
    const queue = new Queue(name, { connection, prefix: queuePrefix(prefix) });
    try {
      const jobs = await queue.getJobCounts("waiting", "active", "delayed", "failed");
      for (const [state, n] of Object.entries(jobs)) if (n > 0) v.push(`${n} job(s) ${state} in queue ${name}`);
    } finally {
      await queue.close();
      connection.disconnect(); // BullMQ does not close a connection it was handed
    }
  }
}
