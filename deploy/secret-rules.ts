import { parseAllDocuments } from "yaml";
import { ref, type K8sObject } from "./manifests.ts";
import { containerSites, referencedVariable } from "./workloads.ts";

/**
 * No secret value is committed: not in the rendered manifests, not in any file under k8s/
 * (patches and generators included), not in the fly configs or the Dockerfile. Secrets are
 * created in the cluster or with `fly secrets set` (docs/deploy.md, "Secrets"); the
 * manifests only refer to them.
 */

/** Names that say their value is a credential. */
export const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL/i;
/** The only values a committed Secret may hold (docs/security.md, "Secrets"). */
export const PLACEHOLDER = /^(|<[^<>]*>|REPLACE_ME|CHANGE_ME)$/;
/** A URL with a password in it, unless the password is a `$(VAR)` the kubelet fills in from a Secret. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:(?!\$\([A-Za-z_][A-Za-z0-9_]*\)@)[^@/\s]+@/i;
/** Shapes of credentials, whatever they are called. */
const CREDENTIAL_SHAPES: [string, RegExp][] = [
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a JWT", /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/],
];
/** A command-line flag that takes a credential (a file or path holding one is fine). */
const SECRET_FLAG = /^--?[a-z0-9-]*(pass|secret|token|key)[a-z0-9-]*$/i;
const FILE_FLAG = /-(file|path|dir)$/i;
const isReference = (value: string) => referencedVariable(value) !== undefined;

type Rule = (objects: K8sObject[]) => string[];

function secretValues(o: K8sObject): [string, string][] {
  const data = Object.entries((o.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")] as [string, string]);
  return [...data, ...Object.entries((o.stringData ?? {}) as Record<string, string>)];
}

/** The arguments that follow a credential flag (`--requirepass x`, `--token=x`) with a literal value. */
function literalFlagValues(argv: string[]): string[] {
  return argv.flatMap((arg, i) => {
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, argv[i + 1]];
    if (!SECRET_FLAG.test(flag) || FILE_FLAG.test(flag) || inline === undefined || inline.startsWith("-")) return [];
    return isReference(inline) ? [] : [flag];
  });
}

/**
 * On rendered objects: a Secret holds only placeholders; a ConfigMap has no credential-named
 * key and no URL with a password; a container sets no credential-named variable by `value`,
 * no URL with a literal password, and passes no credential on its command line.
 */
export const noCommittedSecretsRule: Rule = (objects) => [
  ...objects.flatMap((o) => {
    if (o.kind === "Secret") {
      return secretValues(o).filter(([, v]) => !PLACEHOLDER.test(v)).map(([k]) => `${ref(o)}: a Secret with values is committed (${k})`);
    }
    if (o.kind !== "ConfigMap") return [];
    return Object.entries((o.data ?? {}) as Record<string, string>).flatMap(([key, value]) => [
      ...(SECRET_NAME.test(key) ? [`${ref(o)}: ${key} looks like a secret; use a Secret reference`] : []),
      ...(URL_WITH_PASSWORD.test(value) ? [`${ref(o)}: ${key} holds a URL with a password`] : []),
    ]);
  }),
  ...containerSites(objects).flatMap(({ container, where }) => [
    ...(container.env ?? []).flatMap((e) => [
      ...(e.value !== undefined && SECRET_NAME.test(e.name) && !isReference(e.value) ? [`${where}: ${e.name} looks like a secret but has a value; use secretKeyRef`] : []),
      ...(e.value !== undefined && URL_WITH_PASSWORD.test(e.value) ? [`${where}: ${e.name} holds a URL with a literal password`] : []),
    ]),
    ...literalFlagValues([...(container.command ?? []), ...(container.args ?? [])]).map((flag) => `${where}: ${flag} is given a literal value on the command line`),
  ]),
];

/** What a committed file may not hold, found by walking whatever it parses to. */
function walk(value: unknown, path: string, found: (what: string) => void): void {
  if (typeof value === "string") {
    if (URL_WITH_PASSWORD.test(value)) found(`${path} holds a URL with a password`);
    const literal = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(value);
    if (literal && SECRET_NAME.test(literal[1]!) && !PLACEHOLDER.test(literal[2]!)) found(`${path} sets ${literal[1]} literally`);
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`, found));
  if (!value || typeof value !== "object") return;
  const o = value as Record<string, unknown>;
  if (typeof o.name === "string" && typeof o.value === "string" && SECRET_NAME.test(o.name) && !isReference(o.value)) {
    found(`${path}: ${o.name} has a value`);
  }
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === "string" && /^[A-Z][A-Z0-9_]*$/.test(k) && SECRET_NAME.test(k) && !PLACEHOLDER.test(v)) found(`${path}.${k} has a value`);
    walk(v, path ? `${path}.${k}` : k, found);
  }
}

/**
 * Files as committed: every YAML under k8s/ (resources, patches, generators), the fly configs,
 * the Dockerfile. `ignored(path)` says whether git ignores a file a secretGenerator reads.
 */
export function scanFile(path: string, text: string, ignored: (file: string) => boolean): string[] {
  const v: string[] = [];
  const found = (what: string) => v.push(`${path}: ${what}`);
  for (const [what, shape] of CREDENTIAL_SHAPES) if (shape.test(text)) found(`holds ${what}`);
  if (path.endsWith(".toml")) walk(Bun.TOML.parse(text), "", found);
  else if (/\.ya?ml$/.test(path)) {
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as Record<string, unknown> | null;
      walk(o, "", found);
      for (const generator of (o?.secretGenerator ?? []) as { name?: string; literals?: string[]; files?: string[]; envs?: string[] }[]) {
        if (generator.literals?.length) found(`secretGenerator ${generator.name} has literals`);
        const files = [...(generator.files ?? []), ...(generator.envs ?? [])].map((f) => f.slice(f.indexOf("=") + 1));
        for (const file of files.filter((f) => !ignored(f))) found(`secretGenerator ${generator.name} reads ${file}, which git does not ignore`);
      }
    }
  } else {
    for (const line of text.split("\n")) {
      const m = /^\s*(?:ENV|ARG)\s+([A-Za-z_][A-Za-z0-9_]*)[= ](\S+)/.exec(line);
      if (m && SECRET_NAME.test(m[1]!)) found(`${m[1]} has a value (${line.trim().split(/\s+/)[0]})`);
    }
  }
  return v;
}
