/**
 * The system's topology, declared once: every process and its default port, the stream each
 * worker's outbox publishes, the streams each worker's consumer group reads, the workers each
 * process calls over HTTP, and the BullMQ queues a worker runs. runWorker, the configs'
 * defaults, the launcher, the test stack, the operator scripts and the deploy checks all read
 * it from here; the Kubernetes and fly.io files, which cannot import it, are checked against
 * it by deploy/topology.test.ts. The Redis keys built from these names are in redis-keys.ts.
 *
 * The names are live data: a stream's name is part of its Redis key, a consumer group is
 * named after its worker, a queue's name is part of its BullMQ keys. Renaming one strands
 * whatever Redis already holds under the old name.
 */

interface ProcessTopology {
  /** The port it listens on unless PORT says otherwise (npm start, the manifests, fly). */
  readonly port: number;
  /** The workers it calls over HTTP, each found through `<NAME>_URL` (see urlVariable). */
  readonly calls?: readonly string[];
}

interface WorkerTopology extends ProcessTopology {
  /** The stream its outbox publishes to; a stream has exactly one publisher. */
  readonly publishes?: string;
  /** The streams its consumer group reads; the group is named after the worker. */
  readonly consumes?: readonly string[];
  /** Its BullMQ queues, by role; they live under queuePrefix(STREAM_PREFIX). */
  readonly queues?: Readonly<Record<string, string>>;
}

export const topology = {
  /**
   * The OpenID Connect provider: its own database (accounts, keys, provider state), no stream.
   * Every other process checks its tokens, so it starts first.
   */
  identity: { port: 8090 },
  /** Routes by path to the workers; it owns no database and reads no stream. */
  gateway: { port: 8088, calls: ["rental", "payment", "delivery", "mypage"] },
  workers: {
    rental: { port: 8081, publishes: "rental", consumes: ["delivery"], calls: ["payment"] },
    payment: { port: 8082, publishes: "payment", consumes: ["rental"] },
    delivery: {
      port: 8083, publishes: "delivery", consumes: ["payment", "rental"],
      queues: { confirmationRequests: "confirmation-requests" },
    },
    mypage: { port: 8084, consumes: ["rental", "payment", "delivery"] },
  },
} as const satisfies { identity: ProcessTopology; gateway: ProcessTopology; workers: Record<string, WorkerTopology> };

type Workers = typeof topology.workers;

/** A worker: a process with its own database that runWorker runs. */
export type WorkerName = keyof Workers;
/** Every process npm start runs. */
export type ProcessName = WorkerName | "gateway" | "identity";
/** A stream, named after the worker that publishes it. */
export type StreamName = { [W in WorkerName]: Workers[W] extends { publishes: infer S extends string } ? S : never }[WorkerName];

export const workerNames = Object.keys(topology.workers) as WorkerName[];

/** True for a domain worker, false for the gateway and identity (no stream, not run by runWorker). */
export const isWorker = (name: ProcessName): name is WorkerName => name in topology.workers;

/** A worker's entry, typed alike for every worker (absent parts are undefined). */
export interface WorkerEntry extends Omit<WorkerTopology, "publishes" | "consumes"> {
  readonly publishes?: StreamName;
  readonly consumes?: readonly StreamName[];
}

export const workerTopology = (name: WorkerName): WorkerEntry => topology.workers[name];

const processTopology = (name: ProcessName): ProcessTopology =>
  name === "gateway" || name === "identity" ? topology[name] : topology.workers[name];

export const portOf = (name: ProcessName): number => processTopology(name).port;

/** The variable that tells a process where another one listens: PAYMENT_URL for payment. */
export const urlVariable = (name: WorkerName) => `${name.toUpperCase()}_URL`;

/** Where a process listens on this machine at its default port (the configs' defaults). */
export const localUrl = (name: ProcessName) => `http://127.0.0.1:${portOf(name)}`;

/** The workers `name` calls over HTTP. */
export const callsOf = (name: ProcessName) => (processTopology(name).calls ?? []) as readonly WorkerName[];

/** Every process, identity first, then each after the ones it calls: the order to start them in. */
export function startOrder(): ProcessName[] {
  const order: ProcessName[] = ["identity"];
  const visit = (name: ProcessName) => {
    if (order.includes(name)) return;
    callsOf(name).forEach(visit);
    order.push(name);
  };
  [...workerNames, "gateway" as const].forEach(visit);
  return order;
}

/** Every stream, in declaration order of its publisher. */
export const streamNames: StreamName[] = workerNames.flatMap((w) => workerTopology(w).publishes ?? []);

export const publisherOf = (stream: StreamName): WorkerName => workerNames.find((w) => workerTopology(w).publishes === stream)!;

export interface ConsumerGroup {
  /** The group's name in Redis: its worker's name. */
  group: WorkerName;
  streams: readonly StreamName[];
}

/** Every consumer group and the streams it reads. */
export const consumerGroups: ConsumerGroup[] = workerNames.flatMap((w) => {
  const streams = workerTopology(w).consumes ?? [];
  return streams.length > 0 ? [{ group: w, streams }] : [];
});

export const consumerGroupOf = (worker: WorkerName): ConsumerGroup | undefined => consumerGroups.find((g) => g.group === worker);

/** The groups that read `stream`. */
export const consumersOf = (stream: StreamName): WorkerName[] =>
  consumerGroups.filter((g) => g.streams.includes(stream)).map((g) => g.group);

/** Every BullMQ queue, with the worker that runs it. */
export const queues: { worker: WorkerName; name: string }[] = workerNames.flatMap((worker) =>
  Object.values(workerTopology(worker).queues ?? {}).map((name) => ({ worker, name })),
);
