import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ref, type K8sObject } from "./manifests.ts";
import { noCommittedSecretsRule } from "./secret-rules.ts";
import { byKindAndName, claimNames, containerSites, isDeployment, podSpecOf, runsToEnd, selects } from "./workloads.ts";

/**
 * The project's rules for Kubernetes manifests, each a pure function from the
 * rendered objects to a list of violations: empty means the rule holds. Rules that need to
 * know the workers' code live in worker-rules.ts.
 */
export type Rule = (objects: K8sObject[]) => string[];

/** Every serving container can be told apart from a dead one (liveness) and from a busy one (readiness); a job's runs to its end. */
export const probesRule: Rule = (objects) =>
  containerSites(objects)
    .filter(({ workload, pod, container }) => !runsToEnd(workload) && (pod.containers ?? []).includes(container))
    .flatMap(({ container, where }) => [
      ...(container.readinessProbe ? [] : [`${where}: no readinessProbe`]),
      ...(container.livenessProbe ? [] : [`${where}: no livenessProbe`]),
    ]);

/** Every container states what it needs and what it may use, in CPU and memory. */
export const resourcesRule: Rule = (objects) =>
  containerSites(objects).flatMap(({ container, where }) =>
    (["requests", "limits"] as const).flatMap((kind) =>
      (["cpu", "memory"] as const)
        .filter((resource) => container.resources?.[kind]?.[resource] === undefined)
        .map((resource) => `${where}: no ${resource} ${kind === "requests" ? "request" : "limit"}`),
    ),
  );

/** Non-root, read-only root filesystem, no privilege escalation, no capabilities. */
export const securityRule: Rule = (objects) =>
  containerSites(objects).flatMap(({ pod, container, where }) => {
    const c = container.securityContext;
    const nonRoot = c?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    return [
      ...(nonRoot === true ? [] : [`${where}: runAsNonRoot is not true`]),
      ...(c?.readOnlyRootFilesystem === true ? [] : [`${where}: root filesystem is writable`]),
      ...(c?.allowPrivilegeEscalation === false ? [] : [`${where}: allowPrivilegeEscalation is not false`]),
      ...(c?.capabilities?.drop?.includes("ALL") ? [] : [`${where}: capabilities are not dropped (drop: [ALL])`]),
    ];
  });

/** An image names an exact version: a tag other than `latest`, or a digest. */
export const imageTagRule: Rule = (objects) =>
  containerSites(objects).flatMap(({ container, where }) => {
    const image = container.image ?? "";
    if (image.includes("@sha256:")) return [];
    const lastPart = image.slice(image.lastIndexOf("/") + 1);
    const tag = lastPart.includes(":") ? lastPart.slice(lastPart.indexOf(":") + 1) : "";
    if (tag === "") return [`${where}: image ${image || "(none)"} has no tag`];
    if (tag === "latest") return [`${where}: image ${image} uses :latest`];
    return [];
  });

/** A rolling update adds a ready pod before it takes one away. */
export const rollingUpdateRule: Rule = (objects) =>
  objects.filter(isDeployment).flatMap((d) => {
    const strategy = d.spec?.strategy;
    if (strategy?.type === "Recreate") return [];
    const maxUnavailable = strategy?.rollingUpdate?.maxUnavailable;
    return maxUnavailable === 0 || maxUnavailable === "0%"
      ? []
      : [`${ref(d)}: RollingUpdate without maxUnavailable: 0 (it is ${maxUnavailable ?? "25% by default"})`];
  });

const readWriteOnce = (claim: K8sObject | undefined) => {
  const modes = (claim as (K8sObject & IPersistentVolumeClaim) | undefined)?.spec?.accessModes ?? [];
  return modes.includes("ReadWriteOnce") || modes.includes("ReadWriteOncePod");
};

/** Names of the Deployments an HPA or a KEDA ScaledObject scales, with who scales them. */
function autoscaled(objects: K8sObject[]): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const o of objects) {
    let target: { kind?: string; name?: string } | undefined;
    if (o.kind === "HorizontalPodAutoscaler") target = (o as K8sObject & IHorizontalPodAutoscaler).spec?.scaleTargetRef;
    if (o.kind === "ScaledObject") target = (o.spec as { scaleTargetRef?: { kind?: string; name?: string } }).scaleTargetRef;
    if (!target?.name || (target.kind ?? "Deployment") !== "Deployment") continue;
    targets.set(target.name, [...(targets.get(target.name) ?? []), ref(o)]);
  }
  return targets;
}

/**
 * A pod with a ReadWriteOnce volume cannot overlap with its successor nor have siblings:
 * its Deployment uses Recreate, one replica, and no autoscaler.
 */
export const readWriteOnceRule: Rule = (objects) => {
  const scaled = autoscaled(objects);
  return objects.filter(isDeployment).flatMap((d) => {
    const pod = podSpecOf(d);
    const rwo = (pod ? claimNames(pod) : []).filter((name) =>
      readWriteOnce(byKindAndName(objects, "PersistentVolumeClaim", name)),
    );
    if (rwo.length === 0) return [];
    const why = `mounts ReadWriteOnce claim ${rwo.join(", ")}`;
    return [
      ...(d.spec?.strategy?.type === "Recreate" ? [] : [`${ref(d)} ${why} but does not use strategy Recreate`]),
      ...((d.spec?.replicas ?? 1) === 1 ? [] : [`${ref(d)} ${why} but runs ${d.spec?.replicas} replicas`]),
      ...(scaled.has(d.metadata.name) ? [`${ref(d)} ${why} but is autoscaled by ${scaled.get(d.metadata.name)!.join(", ")}`] : []),
    ];
  });
};

/**
 * One autoscaler per Deployment (an HPA and a ScaledObject would fight over replicas), each
 * aimed at a Deployment that exists, which leaves spec.replicas to it.
 */
export const autoscalerRule: Rule = (objects) =>
  [...autoscaled(objects)].flatMap(([name, by]) => {
    const d = byKindAndName(objects, "Deployment", name);
    if (!d) return [`${by.join(", ")}: scales Deployment/${name}, which does not exist`];
    return [
      ...(by.length > 1 ? [`Deployment/${name} is scaled by both ${by.join(" and ")}`] : []),
      ...((d.spec as { replicas?: number }).replicas === undefined
        ? []
        : [`Deployment/${name} sets spec.replicas although ${by.join(", ")} owns it`]),
    ];
  });

/** Every Deployment has a PodDisruptionBudget, so a node drain never takes all its pods at once. */
export const disruptionBudgetRule: Rule = (objects) => {
  const budgets = objects.filter((o): o is K8sObject & IPodDisruptionBudget => o.kind === "PodDisruptionBudget");
  return objects.filter(isDeployment).flatMap((d) => {
    const labels = d.spec?.template.metadata?.labels;
    return budgets.some((b) => selects(b.spec?.selector?.matchLabels, labels))
      ? []
      : [`${ref(d)}: no PodDisruptionBudget selects its pods`];
  });
};

export { noCommittedSecretsRule };

export const k8sRules: Record<string, Rule> = {
  "every serving container has readiness and liveness probes": probesRule,
  "every container has CPU and memory requests and limits": resourcesRule,
  "every container runs non-root on a read-only root filesystem": securityRule,
  "no image uses :latest or no tag": imageTagRule,
  "rolling updates keep every ready pod (maxUnavailable 0)": rollingUpdateRule,
  "a Deployment with a ReadWriteOnce volume uses Recreate with one replica": readWriteOnceRule,
  "no Deployment has two autoscalers (HPA and ScaledObject)": autoscalerRule,
  "every Deployment has a PodDisruptionBudget": disruptionBudgetRule,
  "no secret value is committed": noCommittedSecretsRule,
};
