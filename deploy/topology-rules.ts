import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { portOf, urlVariable } from "@rentalnang/shared/topology/topology";
import { processOf, readWithSecrets, table, type FlyApp } from "./fly-rules.ts";
import { ref, type K8sObject } from "./manifests.ts";
import { parsedConfig, workerSites } from "./worker-rules.ts";
import { workerNamed, type WorkerSpec } from "./workers.ts";
import { byKindAndName, isDeployment } from "./workloads.ts";

/**
 * Rules that hold the manifests and fly configs to shared/src/topology/topology.ts, which
 * they cannot import: the streams and groups KEDA watches, where each process finds the
 * ones it calls, the port Prometheus scrapes, and one Redis and STREAM_PREFIX per stream.
 */

interface RedisStreamsTrigger {
  type: string;
  metadata?: Record<string, string>;
}

/**
 * A KEDA redis-streams trigger watches a stream its target worker's group reads, as that
 * group, on the Redis that worker uses, and scales on lag.
 */
export function kedaStreamsRule(objects: K8sObject[]): string[] {
  const { sites } = workerSites(objects);
  return objects.filter((o) => o.kind === "ScaledObject").flatMap((so) => {
    const spec = so.spec as { scaleTargetRef?: { name?: string }; triggers?: RedisStreamsTrigger[] };
    const target = sites.find((s) => isDeployment(s.workload) && s.workload.metadata.name === spec.scaleTargetRef?.name);
    if (!target) return [`${ref(so)}: its target runs no rentalnang worker`];
    const config = parsedConfig(target);
    const prefix = String(config?.STREAM_PREFIX ?? "");
    const redisUrl = new URL(String(config?.REDIS_URL ?? "redis://invalid"));
    return (spec.triggers ?? []).filter((t) => t.type === "redis-streams").flatMap((t) => {
      const m = t.metadata ?? {};
      const v: string[] = [];
      const where = `${ref(so)} trigger redis-streams`;
      const streams = target.worker.reads.map((stream) => streamKey(prefix, stream));
      if (!streams.includes(m.stream ?? "")) {
        v.push(`${where}: stream ${m.stream} is none of those ${target.worker.name} reads: ${streams.join(", ") || "none"}`);
      }
      if (m.consumerGroup !== target.worker.name) v.push(`${where}: consumerGroup ${m.consumerGroup}, but ${target.worker.name} reads as group ${target.worker.name}`);
      if (!/^\d+$/.test(m.lagCount ?? "")) v.push(`${where}: no lagCount`);
      const [host = "", port = ""] = (m.address ?? "").split(":");
      const [service, namespace] = host.split(".");
      if (service !== redisUrl.hostname.split(".")[0] || port !== (redisUrl.port || "6379")) {
        v.push(`${where}: watches ${m.address}, but ${target.worker.name} uses ${redisUrl.host}`);
      }
      if (so.metadata.namespace && namespace !== so.metadata.namespace) {
        v.push(`${where}: address names namespace ${namespace}, the ScaledObject lives in ${so.metadata.namespace}`);
      }
      if (!byKindAndName(objects, "Service", service ?? "")) v.push(`${where}: no Service ${service}`);
      return v;
    });
  });
}

/** Each process is told where every worker it calls listens: `<NAME>_URL` names that worker's Service and port. */
export function k8sCallsRule(objects: K8sObject[]): string[] {
  return workerSites(objects).sites.flatMap((site) =>
    site.worker.calls.flatMap((callee) => {
      const variable = urlVariable(callee);
      const value = site.env.literal[variable];
      if (value === undefined) return site.env.names.includes(variable) ? [] : [`${site.where}: ${variable} is not set, so ${site.worker.name} cannot reach ${callee}`];
      const url = new URL(value);
      const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
      const v: string[] = [];
      if (url.hostname.split(".")[0] !== callee) v.push(`${site.where}: ${variable}=${value} does not name the Service ${callee}`);
      if (port !== portOf(callee)) v.push(`${site.where}: ${variable}=${value}, but ${callee} listens on ${portOf(callee)}`);
      return v;
    }),
  );
}

/** Prometheus scrapes each worker's pods on the worker's own port. */
export function k8sMetricsPortRule(objects: K8sObject[]): string[] {
  return workerSites(objects).sites.flatMap((site) => {
    const annotations = (site.workload.spec as { template?: { metadata?: { annotations?: Record<string, string> } } }).template?.metadata?.annotations;
    const scraped = annotations?.["prometheus.io/port"];
    if (scraped === undefined || Number(scraped) === site.worker.port) return [];
    return [`${ref(site.workload)}: Prometheus scrapes port ${scraped}, ${site.worker.name} listens on ${site.worker.port}`];
  });
}

/**
 * A worker that publishes or reads streams is given a Redis (it would otherwise look on
 * localhost), and every worker on one stream uses the same Redis and STREAM_PREFIX as the
 * others: a consumer on another prefix waits forever for events that were published.
 */
export function k8sOneBusRule(objects: K8sObject[]): string[] {
  const bus = workerSites(objects).sites.filter((s) => s.worker.reads.length > 0 || s.worker.publishes);
  const v = bus.filter((s) => !s.env.names.includes("REDIS_URL")).map((s) => `${s.where}: REDIS_URL is not set`);
  const seen = new Map(bus.map((s) => {
    const config = parsedConfig(s);
    return [`${config?.REDIS_URL} ${config?.STREAM_PREFIX}`, s.where] as const;
  }));
  if (seen.size > 1) v.push(`the workers do not share one Redis and STREAM_PREFIX: ${[...seen].map(([bus, where]) => `${where}: ${bus}`).join("; ")}`);
  return v;
}

function streamPrefixOf(worker: WorkerSpec, env: Record<string, unknown>): string {
  try {
    return String(readWithSecrets(worker, Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]))).STREAM_PREFIX);
  } catch {
    return "(refused: see the fly rules)";
  }
}

/**
 * Each fly app sets `<NAME>_URL` for every worker its process calls (flyUpstreamsRule
 * checks where it leads), Prometheus scrapes its port, and the apps on the bus share
 * one STREAM_PREFIX.
 */
export function flyTopologyRule(apps: FlyApp[]): string[] {
  const prefixes = new Map<string, string>();
  const v = apps.flatMap(({ file, config }) => {
    const worker = workerNamed(processOf(config) ?? "");
    if (!worker) return [];
    const env = table(config.env);
    const found: string[] = [];
    for (const callee of worker.calls) {
      if (env[urlVariable(callee)] === undefined) found.push(`${file}: [env] has no ${urlVariable(callee)}, so ${worker.name} cannot reach ${callee}`);
    }
    const metricsPort = table(config.metrics).port;
    if (metricsPort !== undefined && metricsPort !== worker.port) found.push(`${file}: [metrics] port ${metricsPort}, ${worker.name} listens on ${worker.port}`);
    if (worker.reads.length > 0 || worker.publishes) prefixes.set(file, streamPrefixOf(worker, env));
    return found;
  });
  if (new Set(prefixes.values()).size > 1) {
    v.push(`the apps on the bus do not share one STREAM_PREFIX: ${[...prefixes].map(([file, p]) => `${file}: ${p}`).join("; ")}`);
  }
  return v;
}
