import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FlyApp } from "./fly-rules.ts";
import { readResources, renderKustomization, type K8sObject } from "./manifests.ts";

/** What the deploy tests read: the overlays as kubectl renders them, the files as written, the fly configs. */

export const ROOT = join(import.meta.dir, "..");
export const kubectl = Bun.which("kubectl");
export const OVERLAYS = ["dev", "prod"] as const;

const rendered = new Map<string, K8sObject[]>();

/** An overlay as `kubectl apply -k` would apply it; a fresh copy each call, free to mutate. */
export function overlay(name: string): K8sObject[] {
  if (!rendered.has(name)) rendered.set(name, renderKustomization(kubectl!, join(ROOT, "k8s", "overlays", name)));
  return structuredClone(rendered.get(name)!);
}

/** The resources files as written in base and the components (no patches, no generators). */
export const written = () => [
  ...readResources(join(ROOT, "k8s", "base")),
  ...["file-databases", "libsql-servers", "autoscaling"].flatMap((c) => readResources(join(ROOT, "k8s", "components", c))),
];

export const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not in the manifests`);
  return found as K8sObject & { spec: any };
};

export const container = (objects: K8sObject[], kind: string, name: string) => find(objects, kind, name).spec.template.spec.containers[0];

/** fly.toml (the gateway) and fly/*.toml, one app per process. */
export const flyFiles = ["fly.toml", ...readdirSync(join(ROOT, "fly")).filter((f) => f.endsWith(".toml")).map((f) => `fly/${f}`)];

export const flyApps = (): FlyApp[] =>
  flyFiles.map((file) => ({ file, config: Bun.TOML.parse(readFileSync(join(ROOT, file), "utf8")) as Record<string, unknown> }));
