import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

/** A Kubernetes object as read from YAML; rules narrow it further where they need to. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Parses a multi-document YAML stream; throws naming `source` on a syntax error. */
export function parseManifests(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value !== null) objects.push(value);
  }
  return objects;
}

/**
 * Renders a kustomization the way `kubectl apply -k` would, offline.
 * Throws with kubectl's own message when it refuses the kustomization.
 */
export function renderKustomization(kubectl: string, dir: string): K8sObject[] {
  const run = Bun.spawnSync([kubectl, "kustomize", dir], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) {
    throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr.toString().trim()}`);
  }
  return parseManifests(run.stdout.toString(), dir);
}

/**
 * Without kubectl: the objects a kustomization lists under `resources:`, read as they are
 * (no patches, generators or components applied). Enough to validate what is written.
 */
export function readResources(dir: string): K8sObject[] {
  const kustomization = parseManifests(readFileSync(join(dir, "kustomization.yaml"), "utf8"), dir)[0];
  const resources = (kustomization?.resources ?? []) as string[];
  return resources.flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory()
      ? readResources(path)
      : parseManifests(readFileSync(path, "utf8"), path);
  });
}

/** `Kind/name`, how violations name an object. */
export const ref = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
