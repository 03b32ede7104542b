import { ROUTES } from "../../workers/gateway/src/routing/routes.ts";

/** Where the gateway's merged description lives (inside workers/, so the image carries it). */
export const PUBLIC_OPENAPI_FILE = "workers/gateway/src/api-reference/public-openapi.json";

type Json = Record<string, unknown>;
type Components = Record<string, Record<string, unknown>>;

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The gateway's own routes, open to anyone: no token is asked there. */
const OPEN_PATHS: Json = {
  "/healthz": { get: open("Liveness of the gateway itself", "The process answers.") },
  "/readyz": { get: open("Readiness: the gateway and the workers it forwards to", "Ready; 503 while not.") },
  "/openapi.json": { get: open("This description", "The OpenAPI document of the public API.") },
};

function open(summary: string, ok: string): Json {
  return { summary, security: [], tags: ["gateway"], responses: { "200": { description: ok } } };
}

/**
 * One description of the API as the gateway offers it: the workers' operations the gateway
 * forwards (a path and method its routing table lets through, so charging a payment, which
 * is rental's call service to service, is left out), each tagged with its worker; components
 * merged, a name two workers define differently prefixed with the worker's name; a bearer
 * JWT required everywhere except the gateway's open routes.
 */
export function publicApi(documents: Record<string, Json>): Json {
  const components: Components = {};
  const paths: Json = { ...OPEN_PATHS };
  for (const [worker, document] of Object.entries(documents)) {
    const renames = mergeComponents(components, worker, (document.components ?? {}) as Components);
    const exposed = exposedPaths(worker, (document.paths ?? {}) as Record<string, Json>);
    Object.assign(paths, renameRefs(exposed, renames));
  }
  const securitySchemes = { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } };
  return {
    openapi: "3.1.0",
    info: {
      title: "rentalnang",
      version: "1.0.0",
      description: "The public API, through the gateway. Every route but the gateway's own asks for a bearer token (`npm run token`).",
    },
    tags: [{ name: "gateway" }, ...Object.keys(documents).map((name) => ({ name }))],
    security: [{ bearerAuth: [] }],
    paths,
    components: pruned({ ...components, securitySchemes }, paths),
  };
}

/** The operations of one worker that the gateway forwards, tagged with the worker. */
function exposedPaths(worker: string, paths: Record<string, Json>): Json {
  const exposed: Json = {};
  for (const [path, item] of Object.entries(paths)) {
    const route = ROUTES.find((r) => r.upstream === worker && (path === r.prefix || path.startsWith(`${r.prefix}/`)));
    if (!route) continue;
    const kept = Object.entries(item).filter(([key]) => !HTTP_METHODS.includes(key) || route.methods.includes(key.toUpperCase()));
    const operations = kept.map(([key, op]) => [key, HTTP_METHODS.includes(key) ? { ...(op as Json), tags: [worker] } : op]);
    if (operations.some(([key]) => HTTP_METHODS.includes(key as string))) exposed[path] = Object.fromEntries(operations);
  }
  return exposed;
}

/** Adds a worker's components; returns the refs renamed because another worker's differs. */
function mergeComponents(into: Components, worker: string, from: Components): Map<string, string> {
  const renames = new Map<string, string>();
  for (const [section, entries] of Object.entries(from)) {
    const target = (into[section] ??= {});
    for (const name of Object.keys(entries)) {
      if (!(name in target) || sameJson(target[name], entries[name])) continue;
      renames.set(`#/components/${section}/${name}`, `#/components/${section}/${capitalized(worker)}${name}`);
    }
  }
  for (const [section, entries] of Object.entries(from)) {
    for (const [name, value] of Object.entries(entries)) {
      const ref = renames.get(`#/components/${section}/${name}`);
      into[section]![ref ? ref.split("/").at(-1)! : name] = renameRefs(value, renames);
    }
  }
  return renames;
}

/** Components reachable from the paths (and every security scheme): what was left out goes. */
function pruned(components: Components, paths: Json): Components {
  const reached = new Set<string>();
  const pending = [...refsIn(paths)];
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (reached.has(ref)) continue;
    reached.add(ref);
    const [, , section, name] = ref.split("/");
    pending.push(...refsIn(components[section!]?.[name!]));
  }
  const kept = Object.entries(components).map(([section, entries]) => [
    section,
    Object.fromEntries(Object.entries(entries).filter(([name]) => section === "securitySchemes" || reached.has(`#/components/${section}/${name}`))),
  ] as const);
  return Object.fromEntries(kept.filter(([, entries]) => Object.keys(entries).length > 0));
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => (key === "$ref" && typeof v === "string" ? [v] : refsIn(v)));
}

function renameRefs<T>(value: T, renames: Map<string, string>): T {
  if (renames.size === 0) return value;
  return JSON.parse(JSON.stringify(value), (key, v) => (key === "$ref" && renames.has(v) ? renames.get(v) : v));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Object keys sorted at every depth, so a file written from it changes only when the API does. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
