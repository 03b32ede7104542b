import type { IService } from "kubernetes-models/v1/Service";
import { GatewayModeSettings } from "../scripts/invariants/command.ts";
import { callsOf, urlVariable } from "@rentalnang/shared/topology/topology";
import { ref, type K8sObject } from "./manifests.ts";
import { admits, destinations, workloadPeers } from "./network-policies.ts";
import { flagsOf, gatewayUrlOf, operatorSites, type OperatorSite } from "./operator-sites.ts";
import { containerEnv, workerSites, type WorkerSite } from "./worker-rules.ts";
import { byKindAndName, selects } from "./workloads.ts";

/**
 * The operators' audit in the cluster, as rendered: the CronJob of check-invariants runs the
 * command with flags it accepts and only the settings it reads (OPERATOR_TOKEN from a
 * Secret); its --gateway URL leads to the gateway's port through a Service and the
 * NetworkPolicies let the job's pod in there; the gateway's URL of each worker leads to that
 * worker's port and the policies let the gateway in (each worker answers for its own
 * database at /admin/invariants). And docs/deploy.md runs what the manifests hold.
 */

const INVARIANT_CHECK = "check-invariants";

/** Where a URL leads: the workloads behind the Service its host names, on the container port its port maps to. */
function reach(objects: K8sObject[], url: string): { workloads: K8sObject[]; port: number } | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  const service = byKindAndName(objects, "Service", parsed.hostname.split(".")[0]!) as (K8sObject & IService) | undefined;
  if (!service) return `${url}: no Service ${parsed.hostname.split(".")[0]}`;
  const asked = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const servicePort = service.spec?.ports?.find((p) => p.port === asked);
  if (!servicePort) return `${url}: ${ref(service)} offers no port ${asked}`;
  const behind = destinations(objects).filter((d) => selects(service.spec?.selector, d.labels));
  const target = servicePort.targetPort ?? servicePort.port;
  const port = behind.flatMap((d) => d.ports).find((p) => p.name === target || p.port === target)?.port;
  if (behind.length === 0 || port === undefined) return `${url}: ${ref(service)} port ${asked} leads to no container port`;
  return { workloads: behind.map((d) => d.workload), port };
}

/** Whether the pods of `from` may connect to `to` on `port`, as the NetworkPolicies say. */
function allowed(objects: K8sObject[], from: K8sObject, to: K8sObject, port: number): boolean {
  const peer = workloadPeers(objects).find((p) => p.name === ref(from))!;
  const destination = destinations(objects).find((d) => d.workload === to)!;
  return admits(objects, peer, destination, port);
}

/** The job runs the command with flags it accepts, only the settings it reads, and its token from a Secret. */
function commandViolations(objects: K8sObject[], site: OperatorSite): string[] {
  const flags = flagsOf(site);
  if (typeof flags === "string") return [`${site.where}: ${flags}`];
  if (flags.gateway === undefined) return [`${site.where}: runs ${INVARIANT_CHECK} without --gateway, so it would look for every database and Redis, which no pod reaches`];
  const settings = Object.keys(GatewayModeSettings.shape);
  const env = containerEnv(objects, site);
  const token = site.container.env?.find((e) => e.name === "OPERATOR_TOKEN")?.valueFrom?.secretKeyRef;
  return [
    ...env.names.filter((n) => !settings.includes(n)).map((n) => `${site.where}: sets ${n}, which ${INVARIANT_CHECK} --gateway does not read (it reads ${settings.join(", ")})`),
    ...(token && !token.optional ? [] : [`${site.where}: OPERATOR_TOKEN does not come from a Secret it requires (valueFrom.secretKeyRef)`]),
  ];
}

/** Its --gateway URL leads to the gateway's own port, and the policies let the job's pods in. */
function gatewayViolations(objects: K8sObject[], site: OperatorSite, gateway: WorkerSite): string[] {
  const url = gatewayUrlOf(site)!;
  const reached = reach(objects, url);
  if (typeof reached === "string") return [`${site.where}: --gateway ${reached}`];
  if (!reached.workloads.includes(gateway.workload)) return [`${site.where}: --gateway ${url} leads to ${reached.workloads.map(ref).join(", ")}, not ${ref(gateway.workload)}`];
  if (reached.port !== gateway.worker.port) return [`${site.where}: --gateway ${url} leads to port ${reached.port}, not the gateway's ${gateway.worker.port}`];
  return allowed(objects, site.workload, gateway.workload, gateway.worker.port)
    ? []
    : [`${ref(site.workload)} cannot reach ${ref(gateway.workload)} on port ${gateway.worker.port}: no NetworkPolicy lets its pods in`];
}

/** The gateway's URL of each worker leads to that worker's port, and the policies let the gateway in. */
function upstreamViolations(objects: K8sObject[], gateway: WorkerSite, sites: WorkerSite[]): string[] {
  return callsOf("gateway").flatMap((name) => {
    const worker = sites.find((s) => s.worker.name === name);
    const url = gateway.env.literal[urlVariable(name)];
    if (!worker) return [`no workload runs ${name}, whose /admin/invariants the check asks through the gateway`];
    if (!url) return [`${gateway.where}: ${urlVariable(name)} is not set, so the gateway cannot ask ${name}`];
    const reached = reach(objects, url);
    if (typeof reached === "string") return [`${gateway.where}: ${urlVariable(name)} ${reached}`];
    if (!reached.workloads.includes(worker.workload) || reached.port !== worker.worker.port) {
      return [`${gateway.where}: ${urlVariable(name)}=${url} does not lead to ${ref(worker.workload)} on port ${worker.worker.port}`];
    }
    return allowed(objects, gateway.workload, worker.workload, worker.worker.port)
      ? []
      : [`${ref(gateway.workload)} cannot reach ${ref(worker.workload)} on port ${worker.worker.port}, where ${name} answers for its own database`];
  });
}

/** The invariant check runs in the cluster through the gateway, and reaches every worker's facts that way. */
export function invariantCheckRule(objects: K8sObject[]): string[] {
  const checks = operatorSites(objects).filter((s) => s.command === INVARIANT_CHECK);
  const { sites } = workerSites(objects);
  const gateway = sites.find((s) => s.worker.name === "gateway");
  if (checks.length === 0) return [`no workload runs scripts/${INVARIANT_CHECK}.ts (docs/deploy.md runs it from k8s/base/${INVARIANT_CHECK}.yaml)`];
  if (!gateway) return ["no workload runs the gateway, the only way the check reaches every worker"];
  return [
    ...checks.flatMap((site) => {
      const command = commandViolations(objects, site);
      return command.length > 0 ? command : gatewayViolations(objects, site, gateway);
    }),
    ...upstreamViolations(objects, gateway, sites),
  ];
}

/**
 * What docs/deploy.md tells an operator to run matches the manifests: every job it creates
 * `--from=cronjob/<name>` comes from a CronJob that runs an operator command (the invariant
 * check's among them), and every `port-forward svc/<name> <local>:<port>` names a Service port.
 */
export function operatorDocsRule(objects: K8sObject[], docs: string): string[] {
  const operatorJobs = new Set(operatorSites(objects).filter((s) => s.workload.kind === "CronJob").map((s) => s.workload.metadata.name));
  const fromCronJobs = [...docs.matchAll(/--from=cronjob\/([a-z0-9-]+)/g)].map((m) => m[1]!);
  const forwards = [...docs.matchAll(/port-forward svc\/([a-z0-9-]+) \d+:(\d+)/g)].map((m) => [m[1]!, Number(m[2])] as const);
  const check = operatorSites(objects).find((s) => s.command === INVARIANT_CHECK && s.workload.kind === "CronJob");
  return [
    ...(check && fromCronJobs.includes(check.workload.metadata.name) ? [] : [`docs/deploy.md creates no job --from=cronjob/${check?.workload.metadata.name ?? INVARIANT_CHECK}`]),
    ...fromCronJobs.filter((name) => !operatorJobs.has(name)).map((name) => `docs/deploy.md creates a job from cronjob/${name}, which is not a CronJob running an operator command`),
    ...forwards.flatMap(([name, port]) => {
      const service = byKindAndName(objects, "Service", name) as (K8sObject & IService) | undefined;
      return service?.spec?.ports?.some((p) => p.port === port) ? [] : [`docs/deploy.md forwards svc/${name} port ${port}, which no Service offers`];
    }),
  ];
}
