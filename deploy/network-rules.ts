import type { IService } from "kubernetes-models/v1/Service";
import { ref, type K8sObject } from "./manifests.ts";
import { admits, destinations, isDefaultDenyIngress, workloadPeers, type Destination, type Peer } from "./network-policies.ts";
import { operatorCalls } from "./operator-sites.ts";
import { workerSites, type WorkerSite } from "./worker-rules.ts";
import { byKindAndName, selects } from "./workloads.ts";

/**
 * The network the NetworkPolicies should allow, derived from the code, compared with the
 * one they do allow (network-policies.ts evaluates them). Expected, and nothing more:
 * - each process on its port from the processes that call it (shared/src/topology/topology.ts),
 *   identity from every other process (each checks tokens against its keys), the gateway also
 *   from the operators' jobs that go through it (operator-sites.ts);
 * - the public processes from the Ingress controller only;
 * - Prometheus on each process's port;
 * - Redis from the processes whose REDIS_URL names it (the gateway's counts its rate limits), and
 *   KEDA when a ScaledObject watches a stream;
 * - each libSQL server from the worker whose DATABASE_URL names it.
 * Peers outside the namespace are found by these namespaces and labels, which
 * k8s/base/network-policies.yaml documents.
 */

export const PUBLIC_PROCESSES = ["gateway", "identity"];

export const OUTSIDE = {
  ingressController: { name: "the Ingress controller (namespace ingress-nginx)", namespace: "ingress-nginx", labels: { "app.kubernetes.io/name": "ingress-nginx" } },
  prometheus: { name: "Prometheus (namespace monitoring)", namespace: "monitoring", labels: { "app.kubernetes.io/name": "prometheus" } },
  keda: { name: "KEDA (namespace keda)", namespace: "keda", labels: { app: "keda-operator" } },
} satisfies Record<string, Peer>;

/** Peers that should reach nothing at all. */
const strangers = (namespace: string): Peer[] => [
  { name: "another pod of namespace monitoring", namespace: "monitoring", labels: { "app.kubernetes.io/name": "grafana" } },
  { name: "a pod of another namespace", namespace: "default", labels: {} },
  { name: "a pod of the namespace outside rentalnang", namespace, labels: { "app.kubernetes.io/name": "debug" } },
];

type Role = "process" | "redis" | "database" | "other";

interface Expectation {
  role: Role;
  /** Sources that must get through, each with why. */
  required: Map<string, string>;
  /** Sources that may get through besides. */
  optional: Set<string>;
}

export interface NetworkViolation {
  role: Role;
  source: string;
  message: string;
}

/** The workloads a URL's host leads to, through the Service of that name. */
export function workloadsBehind(objects: K8sObject[], url: string | undefined): K8sObject[] {
  let host: string;
  try {
    host = new URL(url ?? "").hostname.split(".")[0] ?? "";
  } catch {
    return [];
  }
  const service = byKindAndName(objects, "Service", host) as (K8sObject & IService) | undefined;
  if (!service) return [];
  return destinations(objects).filter((d) => selects(service.spec?.selector, d.labels)).map((d) => d.workload);
}

const required = (entries: [WorkerSite[], string][]) =>
  new Map(entries.flatMap(([sites, why]) => sites.map((s) => [ref(s.workload), why] as const)));

function expectations(objects: K8sObject[]): Map<K8sObject, Map<number, Expectation>> {
  const { sites } = workerSites(objects);
  const result = new Map<K8sObject, Map<number, Expectation>>();
  const expect = (workload: K8sObject, port: number, e: Expectation) =>
    result.set(workload, new Map([...(result.get(workload) ?? []), [port, e]]));
  for (const site of sites) {
    const name = site.worker.name;
    const callers = name === "identity"
      ? sites.filter((s) => s.worker.name !== "identity")
      : sites.filter((s) => (s.worker.calls as readonly string[]).includes(name));
    const entries = required([[callers, name === "identity" ? "it checks tokens against identity's keys" : `it calls ${name}`]]);
    entries.set(OUTSIDE.prometheus.name, "Prometheus scrapes /metrics");
    if (PUBLIC_PROCESSES.includes(name)) entries.set(OUTSIDE.ingressController.name, `${name} is public`);
    expect(site.workload, site.worker.port, { role: "process", required: entries, optional: new Set() });
  }
  for (const call of operatorCalls(objects)) {
    for (const target of workloadsBehind(objects, call.url)) for (const e of result.get(target)?.values() ?? []) e.required.set(call.source, call.why);
  }
  const redisUsers = sites.filter((s) => s.env.names.includes("REDIS_URL"));
  const kedaWatches = objects.some((o) => o.kind === "ScaledObject"
    && ((o.spec as { triggers?: { type: string }[] }).triggers ?? []).some((t) => t.type.startsWith("redis")));
  for (const redis of new Set(redisUsers.flatMap((s) => workloadsBehind(objects, s.env.literal.REDIS_URL)))) {
    const users = redisUsers.filter((s) => workloadsBehind(objects, s.env.literal.REDIS_URL).includes(redis));
    const entries = required([[users, "its REDIS_URL names it"]]);
    if (kedaWatches) entries.set(OUTSIDE.keda.name, "a ScaledObject watches a stream");
    for (const d of destinations(objects).filter((d) => d.workload === redis)) {
      for (const { port } of d.ports) expect(redis, port, { role: "redis", required: entries, optional: new Set() });
    }
  }
  for (const site of sites) {
    for (const server of workloadsBehind(objects, site.env.literal.DATABASE_URL)) {
      for (const d of destinations(objects).filter((d) => d.workload === server)) {
        for (const { port } of d.ports) {
          expect(server, port, { role: "database", required: required([[[site], "its DATABASE_URL names it"]]), optional: new Set() });
        }
      }
    }
  }
  return result;
}

/** Every way the allowed network differs from the expected one. */
export function networkViolations(objects: K8sObject[]): NetworkViolation[] {
  const all = destinations(objects);
  const namespace = all[0]?.namespace ?? "";
  const peers = [...workloadPeers(objects), ...Object.values(OUTSIDE), ...strangers(namespace)];
  const expected = expectations(objects);
  return all.flatMap((destination: Destination) =>
    destination.ports.flatMap(({ port }) => {
      const e = expected.get(destination.workload)?.get(port) ?? { role: "other" as Role, required: new Map(), optional: new Set() };
      return peers.flatMap((peer): NetworkViolation[] => {
        if (peer.name === ref(destination.workload)) return [];
        const open = admits(objects, peer, destination, port);
        const where = `${ref(destination.workload)} on port ${port}`;
        if (open && !e.required.has(peer.name) && !e.optional.has(peer.name)) {
          return [{ role: e.role, source: peer.name, message: `${peer.name} can reach ${where}, which it should not` }];
        }
        if (!open && e.required.has(peer.name)) {
          return [{ role: e.role, source: peer.name, message: `${peer.name} cannot reach ${where}, although ${e.required.get(peer.name)}` }];
        }
        return [];
      });
    }),
  );
}

type Rule = (objects: K8sObject[]) => string[];
const only = (keep: (v: NetworkViolation) => boolean): Rule => (objects) =>
  networkViolations(objects).filter(keep).map((v) => v.message);

/** A policy selects every pod and lets nothing in, so a pod no other policy opens is unreachable. */
export const defaultDenyRule: Rule = (objects) =>
  objects.some(isDefaultDenyIngress) ? [] : ["no NetworkPolicy denies all ingress to every pod of the namespace (podSelector: {}, no ingress rules)"];

export const ingressControllerRule = only((v) => v.source === OUTSIDE.ingressController.name);
export const monitoringRule = only((v) => v.source.includes("namespace monitoring"));
export const callersRule = only((v) => v.role === "process" && v.source !== OUTSIDE.ingressController.name && !v.source.includes("namespace monitoring"));
export const redisAccessRule = only((v) => v.role === "redis");
export const databaseAccessRule = only((v) => v.role === "database");
/** Pods nothing should reach (no port of theirs is in the expected network). */
export const unexpectedPodsRule = only((v) => v.role === "other");

export const networkRules: Record<string, Rule> = {
  "a NetworkPolicy denies all ingress by default": defaultDenyRule,
  "only the gateway and identity are reachable from the Ingress controller": ingressControllerRule,
  "each process is reachable only from the processes that call it (payment: rental and the gateway)": callersRule,
  "only the processes that use Redis (and KEDA) reach Redis": redisAccessRule,
  "each libSQL server is reachable from its own worker only": databaseAccessRule,
  "Prometheus in the monitoring namespace scrapes every process's port, nothing else there reaches in": monitoringRule,
  "no other pod takes connections": unexpectedPodsRule,
};
