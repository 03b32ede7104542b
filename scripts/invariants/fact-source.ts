import type { Redis } from "@rentalnang/shared/bus/redis";
import type { Database } from "@rentalnang/shared/db/database";
import type { OwnOf, RowOf, RowsPage, WorkerFacts, WorkerFactsSpec } from "@rentalnang/shared/invariant-facts/facts";
import { NO_UPPER_BOUND, readRowsPage, readWorkerFacts } from "@rentalnang/shared/invariant-facts/read-facts";
import { workerNames, type WorkerName } from "@rentalnang/shared/topology/topology";
import { deliveryFacts } from "../../workers/delivery/src/deliveries/delivery-facts.ts";
import { mypageFacts } from "../../workers/mypage/src/mypages/mypage-facts.ts";
import { paymentFacts } from "../../workers/payment/src/payments/payment-facts.ts";
import { rentalFacts } from "../../workers/rental/src/rentals/rental-facts.ts";

/**
 * Where the invariant check gets what it checks: straight from every worker's database and
 * Redis (directSource), or from each worker's operator route through the gateway
 * (gateway-source.ts). Either way the same facts, read by the workers' own readers.
 */

/** Each worker's part (it lives in the worker): its rows keyed by rental, and its own facts. */
export const factSpecs = { rental: rentalFacts, payment: paymentFacts, delivery: deliveryFacts, mypage: mypageFacts } as const;
type Specs = typeof factSpecs;

export type RowsOf<W extends WorkerName> = RowOf<Specs[W]>;
export type AllFacts = { [W in WorkerName]: WorkerFacts<OwnOf<Specs[W]>> };

/** A worker's spec with its own types (indexing factSpecs by a generic name gives the union of all four). */
export const specOf = <W extends WorkerName>(worker: W) => factSpecs[worker] as unknown as WorkerFactsSpec<RowsOf<W>, OwnOf<Specs[W]>>;

/** Which rows of a worker to read: those after `cursor` (a page's nextCursor), up to rental `through`. */
export interface RowsRequest {
  cursor?: string | undefined;
  through?: number | undefined;
  limit: number;
}

export interface FactSource {
  /** Every worker's facts (outbox, consumer group, dead letters, its own). */
  facts(): Promise<AllFacts>;
  /** A page of one worker's rows keyed by rental, in rental id order. */
  rows<W extends WorkerName>(worker: W, request: RowsRequest): Promise<RowsPage<RowsOf<W>>>;
}

/** A check run straight against the databases and Redis (npm start's, a test's stack). */
export interface Sources {
  dbs: Record<WorkerName, Database>;
  redis: Redis;
  prefix: string;
}

export function directSource({ dbs, redis, prefix }: Sources): FactSource {
  return {
    async facts() {
      const all = {} as Record<WorkerName, unknown>;
      for (const w of workerNames) all[w] = await readWorkerFacts(w, specOf(w), { db: dbs[w], redis, prefix });
      return all as AllFacts;
    },
    rows<W extends WorkerName>(worker: W, { cursor, through, limit }: RowsRequest) {
      const after = cursor === undefined ? 0 : Number(cursor);
      const range = { after, through: through ?? NO_UPPER_BOUND, limit };
      return readRowsPage(specOf(worker), dbs[worker], range);
    },
  };
}
