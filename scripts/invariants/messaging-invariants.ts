import { workerNames } from "@rentalnang/shared/topology/topology";
import type { AllFacts } from "./fact-source.ts";

export interface MessagingCounts {
  unpublished: number;
  pendingEntries: number;
  deadLetters: number;
}

/**
 * Everything in flight has landed: no outbox row waits, every consumer group the topology
 * declares exists and has acked all it read, no dead letters (on a group's stream or moved
 * to its worker's database), no job left in a queue or failed into delivery's database.
 * A group Redis does not hold is a violation of its own: it has read nothing (its consumer
 * never ran, or a Redis that lost it was never read from again), which "0 pending" would hide.
 */
export function checkMessaging(facts: AllFacts, v: string[]): MessagingCounts {
  const counts = { pendingEntries: 0, deadLetters: 0, unpublished: 0 };
  for (const name of workerNames) {
    const { outbox, groups, deadLetters } = facts[name];
    if (outbox?.unpublished) v.push(`${name} has ${outbox.unpublished} unpublished outbox rows`);
    counts.unpublished += outbox?.unpublished ?? 0;
    for (const g of groups) {
      if (!g.exists) v.push(`${g.group} has no consumer group on ${g.stream}`);
      else if (g.pending > 0) v.push(`${g.group} has ${g.pending} pending entries on ${g.stream}`);
      counts.pendingEntries += g.pending;
    }
    if (deadLetters) {
      const dead = deadLetters.onStream + deadLetters.inDatabase;
      const moved = deadLetters.inDatabase > 0 ? ` (${deadLetters.inDatabase} moved to ${name}'s database)` : "";
      if (dead > 0) v.push(`${deadLetters.group} has ${dead} dead letters${moved}`);
      counts.deadLetters += dead;
    }
  }
  const { queues, failedJobsInDatabase } = facts.delivery.own;
  for (const { name, jobs } of queues) {
    for (const [state, n] of Object.entries(jobs)) if (n > 0) v.push(`${n} job(s) ${state} in queue ${name}`);
  }
  if (failedJobsInDatabase > 0) v.push(`${failedJobsInDatabase} confirmation job(s) exhausted their attempts and wait in delivery's database (npm run failed-jobs)`);
  return counts;
}
