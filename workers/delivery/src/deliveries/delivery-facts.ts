import { Queue } from "bullmq";
import { z } from "zod";
import type { Database } from "@rentalnang/shared/db/database";
import type { FactsContext, RowRange, WorkerFactsSpec } from "@rentalnang/shared/invariant-facts/facts";
import { queuePrefix } from "@rentalnang/shared/topology/redis-keys";
import { queues } from "@rentalnang/shared/topology/topology";
import { countFailedJobs } from "../jobs/failed-job-store.ts";

/**
 * What delivery tells the operators' invariant check (shared/src/invariant-facts/facts.ts):
 * each rental's confirmation request, its queues' unfinished jobs, and the jobs that
 * exhausted their attempts and were moved to its database.
 */

export const DeliveryFact = z.object({
  rentalId: z.number().int(),
  id: z.number().int(),
  status: z.string(),
  carId: z.string().nullable(),
});
export type DeliveryFact = z.infer<typeof DeliveryFact>;

const JOB_STATES = ["waiting", "active", "delayed", "failed"] as const;
const QueueFacts = z.object({ name: z.string(), jobs: z.record(z.enum(JOB_STATES), z.number().int()) });
const DeliveryOwnFacts = z.object({ queues: z.array(QueueFacts), failedJobsInDatabase: z.number().int() });
type DeliveryOwnFacts = z.infer<typeof DeliveryOwnFacts>;

async function readDeliveries(db: Database, { after, through, limit }: RowRange): Promise<DeliveryFact[]> {
  const r = await db.execute({
    sql: "SELECT id, rental_id, status, car_id FROM deliveries WHERE rental_id > ? AND rental_id <= ? ORDER BY rental_id LIMIT ?",
    args: [after, through, limit],
  });
  return r.rows.map((row) => ({ rentalId: Number(row.rental_id), id: Number(row.id), status: String(row.status), carId: row.car_id as string | null }));
}

/** Unfinished jobs of each of delivery's queues, counted by BullMQ on a connection of their own. */
async function readQueues({ redis, prefix }: FactsContext) {
  const facts: z.infer<typeof QueueFacts>[] = [];
  for (const { name } of queues.filter((q) => q.worker === "delivery")) {
    const connection = redis.duplicate();
    const queue = new Queue(name, { connection, prefix: queuePrefix(prefix) });
    try {
      const counts = await queue.getJobCounts(...JOB_STATES);
      facts.push({ name, jobs: Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<(typeof JOB_STATES)[number], number> });
    } finally {
      await queue.close();
      connection.disconnect(); // BullMQ does not close a connection it was handed
    }
  }
  return facts;
}

export const deliveryFacts = {
  row: DeliveryFact,
  readRows: readDeliveries,
  own: DeliveryOwnFacts,
  readOwn: async (ctx) => ({ queues: await readQueues(ctx), failedJobsInDatabase: await countFailedJobs(ctx.db) }),
} satisfies WorkerFactsSpec<DeliveryFact, DeliveryOwnFacts>;
