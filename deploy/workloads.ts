import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { ref, type K8sObject } from "./manifests.ts";

/** Kinds whose pods the rules look into. */
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);
/** Kinds whose pods run to their end rather than serve: nothing routes to them, nothing probes them. */
const RUN_TO_END_KINDS = new Set(["Job", "CronJob"]);

export interface ContainerSite {
  workload: K8sObject;
  pod: IPodSpec;
  container: IContainer;
  /** How violations name it: `Deployment/rental container rental`. */
  where: string;
}

export const isWorkload = (o: K8sObject) => WORKLOAD_KINDS.has(o.kind);

export const runsToEnd = (o: K8sObject) => RUN_TO_END_KINDS.has(o.kind);

export const isDeployment = (o: K8sObject): o is K8sObject & IDeployment => o.kind === "Deployment";

/** A workload's pod template (a CronJob's is in its jobTemplate). */
function podTemplateOf(o: K8sObject): { metadata?: { labels?: Record<string, string> }; spec?: IPodSpec } | undefined {
  type WithTemplate = { template?: { metadata?: { labels?: Record<string, string> }; spec?: IPodSpec } };
  const spec = o.spec as (WithTemplate & { jobTemplate?: { spec?: WithTemplate } }) | undefined;
  return o.kind === "CronJob" ? spec?.jobTemplate?.spec?.template : spec?.template;
}

export function podSpecOf(o: K8sObject): IPodSpec | undefined {
  return podTemplateOf(o)?.spec;
}

/** The variable a whole `$(NAME)` names (the kubelet expands it in env values and args), if the value is one. */
export const referencedVariable = (value: string | undefined) => /^\$\(([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(value ?? "")?.[1];

/** The labels a workload puts on its pods (`{}` when none). */
export const podLabels = (o: K8sObject): Record<string, string> => podTemplateOf(o)?.metadata?.labels ?? {};

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
