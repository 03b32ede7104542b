import type { IContainer } from "kubernetes-models/v1/Container";
import type { IService } from "kubernetes-models/v1/Service";
import { ref, type K8sObject } from "./manifests.ts";
import { workerNamed, workerOfCommand, type WorkerSpec } from "./workers.ts";
import { byKindAndName, containerSites, isDeployment, podLabels, selects, type ContainerSite } from "./workloads.ts";

/**
 * Rules that hold the manifests to the workers' code: the environment each worker reads
 * (workers/<name>/src/config.ts), its port (docs/architecture.md, 'Topology') and its health routes.
 */

export interface ContainerEnv {
  /**
   * Values known from the manifests (ConfigMaps via envFrom, then env `value`s, with `$(VAR)`
   * expanded); a variable from a Secret holds a placeholder naming it (secretPlaceholder).
   */
  literal: Record<string, string>;
  /** Every variable name set, including those whose value comes from a Secret. */
  names: string[];
  /** Variables a later `value` refers to as `$(NAME)`: helpers of the kubelet's expansion. */
  referenced: string[];
  problems: string[];
}

/** What the checks put in place of a value kept in a Secret (never a real value). */
export const secretPlaceholder = (secret: string, key: string) => `from-secret.${secret}.${key}`;

/** True for a value the checks put in place of a Secret's. */
export const isSecretPlaceholder = (value: string | undefined) => value?.startsWith(secretPlaceholder("", "").slice(0, -1)) ?? false;

/**
 * `$(NAME)` as the kubelet expands it in an env value: from the variables defined before it
 * (envFrom, then earlier env entries); `$$(NAME)` stays literal. Unknown names stay as written.
 */
function expand(value: string, defined: Record<string, string>, onReference: (name: string, known: boolean) => void): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name: string | undefined) => {
    if (name === undefined) return "$";
    onReference(name, name in defined);
    return name in defined ? defined[name]! : match;
  });
}

/** The environment a container gets, as far as the manifests tell it. */
export function containerEnv(objects: K8sObject[], site: ContainerSite): ContainerEnv {
  const literal: Record<string, string> = {};
  const names = new Set<string>();
  const referenced = new Set<string>();
  const problems: string[] = [];
  // Later sources win over earlier ones, and `env` over `envFrom`, as in the kubelet.
  for (const source of site.container.envFrom ?? []) {
    if (!source.configMapRef) continue; // Secrets: values are kept out of git.
    const configMap = byKindAndName(objects, "ConfigMap", source.configMapRef.name ?? "");
    if (!configMap) {
      if (!source.configMapRef.optional) problems.push(`${site.where}: ConfigMap ${source.configMapRef.name} does not exist`);
      continue;
    }
    for (const [key, value] of Object.entries((configMap.data ?? {}) as Record<string, string>)) {
      literal[key] = value;
      names.add(key);
    }
  }
  for (const variable of site.container.env ?? []) {
    names.add(variable.name);
    const secret = variable.valueFrom?.secretKeyRef;
    if (variable.value !== undefined) {
      literal[variable.name] = expand(variable.value, literal, (name, known) => {
        referenced.add(name);
        if (!known) problems.push(`${site.where}: ${variable.name} refers to $(${name}), which is not defined before it (the kubelet would leave it as written)`);
      });
    } else if (secret) literal[variable.name] = secretPlaceholder(secret.name ?? "", secret.key);
    else delete literal[variable.name];
  }
  return { literal, names: [...names], referenced: [...referenced], problems };
}

export interface WorkerSite extends ContainerSite {
  worker: WorkerSpec;
  env: ContainerEnv;
}

/** Containers that run a worker, with that worker's spec and environment. */
export function workerSites(objects: K8sObject[]): { sites: WorkerSite[]; problems: string[] } {
  const sites: WorkerSite[] = [];
  const problems: string[] = [];
  for (const site of containerSites(objects)) {
    const name = workerOfCommand([...(site.container.command ?? []), ...(site.container.args ?? [])]);
    if (!name) continue;
    const worker = workerNamed(name);
    if (!worker) problems.push(`${site.where}: runs workers/${name}, which is not a rentalnang process`);
    else sites.push({ ...site, worker, env: containerEnv(objects, site) });
  }
  return { sites, problems };
}

/** The worker's config as it would parse its environment; undefined when it would refuse it. */
export function parsedConfig(site: WorkerSite): Readonly<Record<string, unknown>> | undefined {
  try {
    return site.worker.readConfig(site.env.literal);
  } catch {
    return undefined;
  }
}

/** Every variable set is one the worker's config schema knows, and its value parses. */
export function workerEnvRule(objects: K8sObject[]): string[] {
  const { sites, problems } = workerSites(objects);
  return [
    ...problems,
    ...sites.flatMap((site) => {
      const unknown = site.env.names.filter((n) => !site.worker.keys.includes(n) && !site.env.referenced.includes(n));
      const violations = [...site.env.problems];
      if (unknown.length > 0) {
        violations.push(`${site.where}: sets ${unknown.join(", ")}, unknown to workers/${site.worker.name}/src/config.ts`);
      }
      try {
        site.worker.readConfig(site.env.literal);
      } catch (error) {
        violations.push(`${site.where}: ${site.worker.name} refuses its environment: ${(error as Error).message}`);
      }
      return violations;
    }),
  ];
}

function containerPort(container: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === "number") return port;
  if (port !== undefined && /^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/**
 * The worker listens on its own port, its probes ask its own health routes on that
 * port (readiness /readyz, liveness /healthz), and a Service of its name leads there.
 */
export function workerPortsRule(objects: K8sObject[], servedPaths: Set<string>): string[] {
  return workerSites(objects).sites.flatMap((site) => {
    const { container, where, worker } = site;
    const v: string[] = [];
    const listens = parsedConfig(site)?.PORT;
    const declared = container.ports?.map((p) => p.containerPort) ?? [];
    if (listens !== worker.port) v.push(`${where}: ${worker.name} would listen on ${listens}, its port is ${worker.port}`);
    if (!declared.includes(worker.port)) v.push(`${where}: declares ports ${declared.join(", ") || "none"}, not ${worker.port}`);
    const probes = { readinessProbe: "/readyz", livenessProbe: "/healthz", startupProbe: undefined } as const;
    for (const [kind, expected] of Object.entries(probes)) {
      const probe = container[kind as keyof typeof probes];
      if (!probe) continue;
      const get = probe.httpGet;
      if (!get) { v.push(`${where}: ${kind} is not an HTTP check of ${expected ?? "/healthz"}`); continue; }
      if (expected && get.path !== expected) v.push(`${where}: ${kind} asks ${get.path}, not ${expected}`);
      if (!servedPaths.has(get.path ?? "/")) v.push(`${where}: ${kind} asks ${get.path}, which the code does not serve`);
      if (containerPort(container, get.port) !== worker.port) v.push(`${where}: ${kind} asks port ${get.port}, not ${worker.port}`);
    }
    const service = byKindAndName(objects, "Service", worker.name) as (K8sObject & IService) | undefined;
    const servicePort = service?.spec?.ports?.find((p) => p.port === worker.port);
    if (!service) v.push(`${where}: no Service named ${worker.name}`);
    else if (!selects(service.spec?.selector, podLabels(site.workload))) v.push(`${ref(service)} does not select ${ref(site.workload)}`);
    else if (!servicePort) v.push(`${ref(service)} does not offer port ${worker.port}`);
    else if (containerPort(container, servicePort.targetPort ?? servicePort.port) !== worker.port) v.push(`${ref(service)} sends port ${worker.port} elsewhere`);
    return v;
  });
}

/**
 * The platform waits longer than the process needs to drain: terminationGracePeriodSeconds
 * covers the preStop pause plus SHUTDOWN_TIMEOUT_MS, so SIGKILL never cuts a drain short.
 */
export function drainRule(objects: K8sObject[]): string[] {
  return workerSites(objects).sites.flatMap((site) => {
    const deadlineMs = parsedConfig(site)?.SHUTDOWN_TIMEOUT_MS;
    if (typeof deadlineMs !== "number") return [];
    const preStop = site.container.lifecycle?.preStop;
    const pauseSeconds = preStop?.sleep?.seconds ?? 0;
    const grace = site.pod.terminationGracePeriodSeconds ?? 30;
    const v: string[] = [];
    if (!preStop) v.push(`${site.where}: no preStop pause before SIGTERM`);
    if (grace * 1000 <= pauseSeconds * 1000 + deadlineMs) {
      v.push(`${site.where}: terminationGracePeriodSeconds ${grace} is not above preStop ${pauseSeconds} s + SHUTDOWN_TIMEOUT_MS ${deadlineMs}`);
    }
    return v;
  });
}

/** Each process runs in exactly one Deployment. */
export function everyProcessDeployedRule(objects: K8sObject[], all: WorkerSpec[]): string[] {
  const { sites } = workerSites(objects);
  return all.flatMap((worker) => {
    const deployments = sites.filter((s) => s.worker === worker && isDeployment(s.workload)).map((s) => ref(s.workload));
    if (deployments.length === 1) return [];
    return [`${worker.name} runs in ${deployments.length} Deployments${deployments.length ? `: ${deployments.join(", ")}` : ""}`];
  });
}
