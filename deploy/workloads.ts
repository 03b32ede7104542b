import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { ref, type K8sObject } from "./manifests.ts";

/** Kinds whose pods the rules look into. */
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);

export interface ContainerSite {
  workload: K8sObject;
  pod: IPodSpec;
  container: IContainer;
  /** How violations name it: `Deployment/rental container rental`. */
  where: string;
}

export const isWorkload = (o: K8sObject) => WORKLOAD_KINDS.has(o.kind);

export const isDeployment = (o: K8sObject): o is K8sObject & IDeployment => o.kind === "Deployment";

export function podSpecOf(o: K8sObject): IPodSpec | undefined {
  const spec = o.spec as { template?: { spec?: IPodSpec } } | undefined;
  return spec?.template?.spec;
}

/** The variable a whole `$(NAME)` names (the kubelet expands it in env values and args), if the value is one. */
export const referencedVariable = (value: string | undefined) => /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(value ?? "")?.[1];

/** The labels a workload puts on its pods (`{}` when none). */
export const podLabels = (o: K8sObject): Record<string, string> =>
  (o.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels ?? {};

/** Every container and init container of every workload. */
export function containerSites(objects: K8sObject[]): ContainerSite[] {
  return objects.filter(isWorkload).flatMap((workload) => {
    const pod = podSpecOf(workload);
    if (!pod) return [];
    const all = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    return all.map((container) => ({
      workload,
      pod,
      container,
      where: `${ref(workload)} container ${container.name}`,
    }));
  });
}

/** Names of the PersistentVolumeClaims a pod mounts. */
export function claimNames(pod: IPodSpec): string[] {
  return (pod.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

/** True when every label of `selector` is on `labels` (matchLabels only). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

export function byKindAndName(objects: K8sObject[], kind: string, name: string) {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}
