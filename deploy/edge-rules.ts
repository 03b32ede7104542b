import type { IHTTPIngressPath } from "kubernetes-models/networking.k8s.io/v1/HTTPIngressPath";
import type { IIngress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { ref, type K8sObject } from "./manifests.ts";
import { workerSites, type WorkerSite } from "./worker-rules.ts";
import { TOKEN_METRICS } from "./workers.ts";

/**
 * Rules for what the outside sees: TLS on every Ingress host, the origins the processes
 * are told (the issuer of the tokens, the gateway's public URL) served by the Ingress, over
 * TLS, by the process they name, and no token-less /metrics among the paths it serves.
 */

type Ingress = K8sObject & IIngress;
type Rule = (objects: K8sObject[]) => string[];

export const CERT_MANAGER_ANNOTATIONS = ["cert-manager.io/cluster-issuer", "cert-manager.io/issuer"];

const ingresses = (objects: K8sObject[]) => objects.filter((o): o is Ingress => o.kind === "Ingress");

/**
 * Every Ingress serves TLS: each rule names a host, a tls entry covers it with a secretName,
 * and cert-manager is told which issuer signs that certificate.
 */
export const tlsRule: Rule = (objects) =>
  ingresses(objects).flatMap((ing) => {
    const tls = ing.spec?.tls ?? [];
    const v: string[] = [];
    if (tls.length === 0) v.push(`${ref(ing)}: no tls block, so it serves plain HTTP`);
    for (const entry of tls) if (!entry.secretName) v.push(`${ref(ing)}: a tls entry without secretName`);
    const covered = new Set(tls.flatMap((t) => t.hosts ?? []));
    for (const rule of ing.spec?.rules ?? []) {
      if (!rule.host) v.push(`${ref(ing)}: a rule without host, which no certificate can cover`);
      else if (!covered.has(rule.host)) v.push(`${ref(ing)}: host ${rule.host} is not in its tls hosts`);
    }
    const annotations = ing.metadata.annotations ?? {};
    if (!CERT_MANAGER_ANNOTATIONS.some((a) => (annotations[a] ?? "").trim() !== "")) {
      v.push(`${ref(ing)}: no ${CERT_MANAGER_ANNOTATIONS.join(" or ")} annotation, so nothing issues its certificate`);
    }
    return v;
  });

/** Whether an Ingress path takes `path` (Prefix matches whole segments; Exact the path alone). */
function takes(rule: IHTTPIngressPath, path: string): boolean {
  const prefix = rule.path ?? "/";
  if (rule.pathType === "Exact") return prefix === path;
  const trimmed = prefix.replace(/\/$/, "");
  return path === trimmed || path.startsWith(`${trimmed}/`);
}

/** The Service an Ingress sends `path` on `host` to (the longest matching path wins), if it serves that host over TLS. */
function tlsBackend(objects: K8sObject[], host: string, path: string): string | undefined {
  for (const ing of ingresses(objects)) {
    if (!(ing.spec?.tls ?? []).some((t) => t.hosts?.includes(host))) continue;
    const rule = (ing.spec?.rules ?? []).find((r) => r.host === host);
    const matching = (rule?.http?.paths ?? []).filter((p) => takes(p, path));
    const longest = matching.sort((a, b) => (b.path ?? "/").length - (a.path ?? "/").length)[0];
    if (longest?.backend.service) return longest.backend.service.name;
  }
  return undefined;
}


/**
 * No Ingress path leads the outside to a process's /metrics that answers without a token
 * (identity's and the workers'): only Prometheus, inside the cluster, reads those.
 */
export const metricsRule: Rule = (objects) =>
  ingresses(objects).flatMap((ing) =>
    (ing.spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? [])
        .filter((p) => takes(p, "/metrics") && p.backend.service && !TOKEN_METRICS.includes(p.backend.service.name))
        .map((p) => `${ref(ing)}: ${rule.host ?? "every host"} path ${p.path ?? "/"} sends /metrics to Service ${p.backend.service!.name}, which serves it without a token`),
    ),
  );

/**
 * An origin a process is told about: over https, a host the Ingress serves with TLS and sends
 * `path` on it (the issuer's discovery document, the gateway's root) to `target`'s Service;
 * over http, only outside production, `target`'s Service or localhost.
 */
function originViolations(objects: K8sObject[], site: WorkerSite, variable: string, target: string, port: number, path: string): string[] {
  const value = site.env.literal[variable];
  if (value === undefined) return [];
  const url = new URL(value);
  if (url.protocol === "https:") {
    const backend = tlsBackend(objects, url.hostname, `${url.pathname.replace(/\/$/, "")}${path}`);
    return backend === target ? [] : [`${site.where}: ${variable}=${value}, but no Ingress serves ${url.hostname} over TLS to Service ${target}`];
  }
  if (site.env.literal.NODE_ENV === "production") return [`${site.where}: ${variable}=${value} is not https, in production`];
  const inCluster = url.hostname === target && Number(url.port || 80) === port;
  return inCluster || url.hostname === "localhost" ? [] : [`${site.where}: ${variable}=${value} is neither Service ${target}:${port} nor localhost`];
}

/**
 * Every process accepts the tokens identity issues: one OIDC_ISSUER and OIDC_AUDIENCE for
 * all, the issuer being identity's origin; identity redirects sign-ins only to the gateway's,
 * which is the PUBLIC_URL the gateway signs people in from.
 */
export const issuerRule: Rule = (objects) => {
  const { sites } = workerSites(objects);
  const identity = sites.find((s) => s.worker.name === "identity");
  const gateway = sites.find((s) => s.worker.name === "gateway");
  if (!identity || !gateway) return ["the manifests run no identity or no gateway"];
  const v = [
    ...originViolations(objects, identity, "OIDC_ISSUER", "identity", identity.worker.port, "/.well-known/openid-configuration"),
    ...originViolations(objects, identity, "PUBLIC_URL", "gateway", gateway.worker.port, "/"),
  ];
  if (gateway.env.literal.PUBLIC_URL !== identity.env.literal.PUBLIC_URL) {
    v.push(`${gateway.where}: PUBLIC_URL=${gateway.env.literal.PUBLIC_URL ?? "(unset)"}, but identity sends sign-ins back to ${identity.env.literal.PUBLIC_URL ?? "(unset)"}`);
  }
  for (const site of sites.filter((s) => s !== identity)) {
    for (const variable of ["OIDC_ISSUER", "OIDC_AUDIENCE"]) {
      const theirs = site.env.literal[variable];
      if (theirs !== identity.env.literal[variable]) {
        v.push(`${site.where}: ${variable}=${theirs ?? "(unset)"}, but identity signs with ${identity.env.literal[variable] ?? "(unset)"}`);
      }
    }
  }
  return v;
};
