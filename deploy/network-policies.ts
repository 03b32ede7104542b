import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import { ref, type K8sObject } from "./manifests.ts";
import { isWorkload, podLabels, podSpecOf } from "./workloads.ts";

/**
 * Which pod may open a connection to which, as the cluster's NetworkPolicies decide it:
 * a pod that no Ingress policy selects takes every connection; one that some policy
 * selects takes only what one of those policies' rules lets in (peer and port). Egress is
 * not restricted by these manifests, so only ingress is evaluated. ipBlock peers are taken
 * to admit everyone (an address range may hold any pod).
 */

/** A pod that opens connections: one of the manifests' workloads, or a stand-in for one elsewhere. */
export interface Peer {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

/** A pod that takes connections, on the ports its containers declare. */
export interface Destination {
  workload: K8sObject;
  namespace: string;
  labels: Record<string, string>;
  ports: { name?: string; port: number }[];
}

type NetworkPolicy = K8sObject & INetworkPolicy;

const namespaceLabels = (namespace: string) => ({ "kubernetes.io/metadata.name": namespace });

/** A label selector as the API server reads it: all matchLabels and all matchExpressions hold. */
export function selectorMatches(selector: ILabelSelector, labels: Record<string, string>): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabel && (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In": return key in labels && values.includes(labels[key]!);
      case "NotIn": return !(key in labels) || !values.includes(labels[key]!);
      case "Exists": return key in labels;
      case "DoesNotExist": return !(key in labels);
      default: return false;
    }
  });
}

const policiesOf = (objects: K8sObject[]) => objects.filter((o): o is NetworkPolicy => o.kind === "NetworkPolicy");

const limitsIngress = (p: NetworkPolicy) => p.spec?.policyTypes === undefined || p.spec.policyTypes.includes("Ingress");

function peerAdmits(peer: INetworkPolicyPeer, policyNamespace: string, source: Peer): boolean {
  if (peer.ipBlock) return true;
  if (!peer.namespaceSelector && !peer.podSelector) return false;
  const inNamespace = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, namespaceLabels(source.namespace))
    : source.namespace === policyNamespace;
  return inNamespace && (!peer.podSelector || selectorMatches(peer.podSelector, source.labels));
}

function portAdmits(rule: INetworkPolicyIngressRule, destination: Destination, port: number): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if ((p.protocol ?? "TCP") !== "TCP") return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "string") return destination.ports.some((d) => d.name === p.port && d.port === port);
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  });
}

/** The Ingress policies that select the destination's pods. */
export const policiesSelecting = (objects: K8sObject[], destination: Destination) =>
  policiesOf(objects).filter(
    (p) => (p.metadata.namespace ?? "") === destination.namespace && limitsIngress(p)
      && selectorMatches(p.spec?.podSelector ?? {}, destination.labels),
  );

/** True when `source` may open a TCP connection to `destination` on `port`. */
export function admits(objects: K8sObject[], source: Peer, destination: Destination, port: number): boolean {
  const applying = policiesSelecting(objects, destination);
  if (applying.length === 0) return true;
  return applying.some((p) =>
    (p.spec?.ingress ?? []).some((rule) =>
      portAdmits(rule, destination, port)
      && (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerAdmits(peer, p.metadata.namespace ?? "", source))),
    ),
  );
}

/** Every workload of the manifests as a pod that takes connections. */
export function destinations(objects: K8sObject[]): Destination[] {
  return objects.filter(isWorkload).map((workload) => ({
    workload,
    namespace: workload.metadata.namespace ?? "",
    labels: podLabels(workload),
    ports: (podSpecOf(workload)?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort }))),
  }));
}

/** Every workload of the manifests as a pod that opens connections. */
export const workloadPeers = (objects: K8sObject[]): Peer[] =>
  objects.filter(isWorkload).map((o) => ({ name: ref(o), namespace: o.metadata.namespace ?? "", labels: podLabels(o) }));

/** A namespace policy that selects every pod and lets nothing in: what every other policy opens holes in. */
export const isDefaultDenyIngress = (p: K8sObject) =>
  p.kind === "NetworkPolicy" && limitsIngress(p as NetworkPolicy)
  && Object.keys((p as NetworkPolicy).spec?.podSelector ?? {}).every((k) => {
    const s = (p as NetworkPolicy).spec!.podSelector as Record<string, unknown>;
    return Array.isArray(s[k]) ? (s[k] as unknown[]).length === 0 : Object.keys(s[k] ?? {}).length === 0;
  })
  && ((p as NetworkPolicy).spec?.ingress ?? []).length === 0;
