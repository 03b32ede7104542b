import type { IContainer } from "kubernetes-models/v1/Container";
import { ref, type K8sObject } from "./manifests.ts";
import { workloadsBehind } from "./network-rules.ts";
import { isSecretPlaceholder, secretPlaceholder, workerSites } from "./worker-rules.ts";
import { podSpecOf, referencedVariable } from "./workloads.ts";

/**
 * Rules for the credentials between the processes and what they use, on rendered
 * manifests: Redis and the libSQL servers refuse clients without them, every client
 * presents the one its server expects, and every credential comes from a Secret. The
 * values themselves are never in the manifests; the environment of a container holds
 * secretPlaceholder(<Secret>, <key>) where a Secret provides one (worker-rules.ts).
 */

type Rule = (objects: K8sObject[]) => string[];

const containersOf = (o: K8sObject): IContainer[] => podSpecOf(o)?.containers ?? [];

/** The Secret and key a container's variable comes from, as `name/key`. */
function secretOf(container: IContainer, variable: string): string | undefined {
  const ref = container.env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef;
  return ref ? `${ref.name}/${ref.key}` : undefined;
}

const placeholderOf = (secret: string) => secretPlaceholder(...(secret.split("/") as [string, string]));

/**
 * Redis starts with `--requirepass $(VAR)`, VAR from a Secret; each process's REDIS_URL that
 * names it carries that same Secret's value; KEDA's trigger authenticates with it too.
 */
export const redisPasswordRule: Rule = (objects) => {
  const users = workerSites(objects).sites.filter((s) => s.env.names.includes("REDIS_URL"));
  const servers = new Set(users.flatMap((s) => workloadsBehind(objects, s.env.literal.REDIS_URL)));
  return [...servers].flatMap((redis) => {
    const container = containersOf(redis)[0]!;
    const args = [...(container.command ?? []), ...(container.args ?? [])];
    const at = args.indexOf("--requirepass");
    const variable = at >= 0 ? referencedVariable(args[at + 1]) : undefined;
    const secret = variable ? secretOf(container, variable) : undefined;
    if (!secret) return [`${ref(redis)}: does not start with --requirepass $(VAR), VAR from a Secret: it takes clients without a password`];
    const v = users
      .filter((s) => workloadsBehind(objects, s.env.literal.REDIS_URL).includes(redis))
      .flatMap((s) => {
        const password = decodeURIComponent(new URL(s.env.literal.REDIS_URL!).password);
        return password === placeholderOf(secret) ? [] : [`${s.where}: REDIS_URL does not carry the password of Secret ${secret}, which ${ref(redis)} requires`];
      });
    for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
      const triggers = (so.spec as { triggers?: { type: string; authenticationRef?: { name: string } }[] }).triggers ?? [];
      for (const t of triggers.filter((t) => t.type.startsWith("redis"))) {
        const auth = objects.find((o) => o.kind === "TriggerAuthentication" && o.metadata.name === t.authenticationRef?.name);
        const refs = ((auth?.spec as { secretTargetRef?: { parameter: string; name: string; key: string }[] })?.secretTargetRef ?? []);
        if (!refs.some((r) => r.parameter === "password" && `${r.name}/${r.key}` === secret)) {
          v.push(`${ref(so)}: its ${t.type} trigger does not authenticate with Secret ${secret} (authenticationRef to a TriggerAuthentication)`);
        }
      }
    }
    return v;
  });
};

/** A libSQL server is sqld: it is told its JWT key by SQLD_AUTH_JWT_KEY or --auth-jwt-key-file. */
function jwtKeyOf(server: K8sObject): string | undefined {
  const container = containersOf(server)[0]!;
  const fromEnv = secretOf(container, "SQLD_AUTH_JWT_KEY");
  if (fromEnv) return fromEnv;
  const args = container.args ?? [];
  const file = args[args.indexOf("--auth-jwt-key-file") + 1];
  if (!args.includes("--auth-jwt-key-file") || !file) return undefined;
  const mount = (container.volumeMounts ?? []).find((m) => file.startsWith(`${m.mountPath.replace(/\/$/, "")}/`));
  const volume = podSpecOf(server)?.volumes?.find((vol) => vol.name === mount?.name);
  return volume?.secret ? `${volume.secret.secretName}/${file}` : undefined;
}

/**
 * Each libSQL server requires a JWT signed with a key of its own (so a token for one
 * database opens no other), and the worker whose DATABASE_URL names it presents a token
 * from a Secret.
 */
export const libsqlAuthRule: Rule = (objects) => {
  const v: string[] = [];
  const keys = new Map<string, string>();
  for (const site of workerSites(objects).sites) {
    for (const server of workloadsBehind(objects, site.env.literal.DATABASE_URL)) {
      const key = jwtKeyOf(server);
      if (!key) v.push(`${ref(server)}: requires no token (neither SQLD_AUTH_JWT_KEY from a Secret nor --auth-jwt-key-file on a Secret volume)`);
      else if (keys.has(key) && keys.get(key) !== ref(server)) v.push(`${ref(server)} and ${keys.get(key)} trust the same key ${key}: a token for one opens the other`);
      else keys.set(key, ref(server));
      if (!isSecretPlaceholder(site.env.literal.DATABASE_AUTH_TOKEN)) {
        v.push(`${site.where}: DATABASE_AUTH_TOKEN does not come from a Secret, so ${ref(server)} would refuse it`);
      }
    }
  }
  return v;
};

/**
 * identity holds a secret per client (`<CLIENT>_CLIENT_SECRET`) from a Secret; the process of
 * that name, once its config.ts reads OIDC_CLIENT_SECRET, presents the same one.
 */
export const clientSecretsRule: Rule = (objects) => {
  const { sites } = workerSites(objects);
  const identity = sites.find((s) => s.worker.name === "identity");
  if (!identity) return ["no identity process in the manifests"];
  return identity.worker.keys.flatMap((key) => {
    const client = /^([A-Z]+)_CLIENT_SECRET$/.exec(key)?.[1]?.toLowerCase();
    if (!client) return [];
    const held = identity.env.literal[key];
    if (!isSecretPlaceholder(held)) return [`${identity.where}: ${key} does not come from a Secret`];
    return sites.filter((s) => s.worker.name === client && s.worker.keys.includes("OIDC_CLIENT_SECRET")).flatMap((s) =>
      s.env.literal.OIDC_CLIENT_SECRET === held ? [] : [`${s.where}: OIDC_CLIENT_SECRET is not the Secret identity holds as ${key}`]);
  });
};

/** Every Secret the workloads cannot start without, with the keys they read from it. */
export function requiredSecrets(objects: K8sObject[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const need = (name: string, key?: string) => {
    const keys = found.get(name) ?? new Set<string>();
    if (key) keys.add(key);
    found.set(name, keys);
  };
  for (const o of objects) {
    for (const container of [...(podSpecOf(o)?.initContainers ?? []), ...containersOf(o)]) {
      for (const e of container.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s && !s.optional) need(s.name!, s.key);
      }
      for (const source of container.envFrom ?? []) if (source.secretRef && !source.secretRef.optional) need(source.secretRef.name!);
    }
    if (o.kind === "TriggerAuthentication") {
      for (const r of (o.spec as { secretTargetRef?: { name: string; key: string }[] }).secretTargetRef ?? []) need(r.name, r.key);
    }
  }
  return found;
}
