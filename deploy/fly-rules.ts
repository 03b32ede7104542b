import { SECRET_NAME } from "./secret-rules.ts";
import { TOKEN_METRICS, workerNamed, workerOfCommand, type WorkerSpec } from "./workers.ts";

/**
 * Rules for the fly.io app configs (fly.toml and fly/*.toml: one app per process), each a
 * pure function of one parsed file. fly.io itself cannot be reached from here, so the keys
 * flyctl knows are listed below (from flyctl's appconfig; only the sections we use are
 * checked key by key).
 */
export interface FlyApp {
  file: string;
  config: Record<string, unknown>;
}

const KNOWN_KEYS: Record<string, string[]> = {
  "": [
    "app", "primary_region", "kill_signal", "kill_timeout", "swap_size_mb", "console_command",
    "experimental", "build", "deploy", "env", "processes", "mounts", "http_service", "services",
    "checks", "files", "host_dedication_id", "machine_checks", "restart", "vm", "statics", "metrics",
  ],
  build: ["builder", "args", "buildpacks", "image", "settings", "builtin", "dockerfile", "ignorefile", "build-target"],
  deploy: ["strategy", "max_unavailable", "wait_timeout", "release_command", "release_command_timeout", "release_command_vm", "seed_command"],
  mounts: ["source", "destination", "initial_size", "snapshot_retention", "auto_extend_size_threshold", "auto_extend_size_increment", "auto_extend_size_limit", "processes"],
  http_service: ["internal_port", "force_https", "auto_stop_machines", "auto_start_machines", "min_machines_running", "processes", "concurrency", "tls_options", "http_options", "checks", "machine_checks"],
  "http_service.checks": ["grace_period", "interval", "timeout", "method", "path", "protocol", "tls_server_name", "tls_skip_verify", "headers"],
  "http_service.concurrency": ["type", "soft_limit", "hard_limit"],
  vm: ["size", "memory", "memory_mb", "cpus", "cpu_kind", "gpus", "gpu_kind", "host_dedication_id", "kernel_args", "persist_rootfs", "processes"],
};

const KILL_SIGNALS = ["SIGTERM", "SIGINT"]; // the ones the workers drain on

interface HttpService {
  internal_port?: number;
  auto_stop_machines?: boolean | string;
  checks?: { path?: string; method?: string }[];
}

/** A TOML table of a fly config as a record, `{}` when it is absent. */
export const table = (value: unknown) => (value && typeof value === "object" ? (value as Record<string, unknown>) : {});
const tables = (value: unknown) => (Array.isArray(value) ? value.map(table) : value ? [table(value)] : []);

/** No misspelt key in the sections the configs use (flyctl would ignore or refuse it). */
export function flyKnownKeysRule({ file, config }: FlyApp): string[] {
  const sections: [string, Record<string, unknown>][] = [
    ["", config],
    ["build", table(config.build)],
    ["deploy", table(config.deploy)],
    ["http_service", table(config.http_service)],
    ["http_service.concurrency", table(table(config.http_service).concurrency)],
    ...tables(table(config.http_service).checks).map((c) => ["http_service.checks", c] as [string, Record<string, unknown>]),
    ...tables(config.mounts).map((m) => ["mounts", m] as [string, Record<string, unknown>]),
    ...tables(config.vm).map((m) => ["vm", m] as [string, Record<string, unknown>]),
  ];
  return sections.flatMap(([section, values]) =>
    Object.keys(values)
      .filter((key) => !KNOWN_KEYS[section]!.includes(key))
      .map((key) => `${file}: [${section || "top level"}] has unknown key ${key}`),
  );
}

/**
 * The process's config read from `[env]` plus the secrets it demands, which `fly secrets set`
 * gives it and no file shows: each credential-named variable the config refuses to go
 * without stands for a secret set on the app, and gets a placeholder.
 */
export function readWithSecrets(worker: WorkerSpec, env: Record<string, string>): Readonly<Record<string, unknown>> {
  const withSecrets = { ...env };
  for (;;) {
    try {
      return worker.readConfig(withSecrets);
    } catch (error) {
      const variable = /^([A-Z][A-Z0-9_]*):/.exec((error as Error).message)?.[1];
      if (!variable || variable in withSecrets || !SECRET_NAME.test(variable) || !worker.keys.includes(variable)) throw error;
      withSecrets[variable] = `from-fly-secrets.${variable}`;
    }
  }
}

/** Seconds in a fly duration: 30, "30", "30s", "1m". */
export function flySeconds(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  const m = /^(\d+)(s|m)?$/.exec(String(value ?? ""));
  return m ? Number(m[1]) * (m[2] === "m" ? 60 : 1) : undefined;
}

/**
 * The app runs one rentalnang process, with an environment its config schema knows and
 * accepts, on its own port; fly checks its readiness route; it is given
 * longer than its drain deadline to stop; a stream consumer never auto-stops; an
 * embedded database sits on a mounted volume; and fly scrapes no /metrics that needs a token.
 */
export function flyWorkerRule({ file, config }: FlyApp, servedPaths: Set<string>): string[] {
  const v: string[] = [];
  const processes = Object.entries(table(config.processes));
  if (processes.length !== 1) return [`${file}: needs exactly one process under [processes], has ${processes.length}`];
  const [group, command] = processes[0]!;
  const name = workerOfCommand(String(command).split(/\s+/));
  const worker = name ? workerNamed(name) : undefined;
  if (!worker) return [`${file}: [processes] ${group} = "${command}" runs no rentalnang process`];

  const env = Object.fromEntries(Object.entries(table(config.env)).map(([k, val]) => [k, String(val)]));
  const unknown = Object.keys(env).filter((k) => !worker.keys.includes(k));
  if (unknown.length) v.push(`${file}: [env] sets ${unknown.join(", ")}, unknown to workers/${worker.name}/src/config.ts`);
  const secretLike = Object.keys(env).filter((k) => SECRET_NAME.test(k) || k === "BOARD_USER");
  if (secretLike.length) v.push(`${file}: [env] holds ${secretLike.join(", ")}; use fly secrets set`);
  let parsed: Readonly<Record<string, unknown>> | undefined;
  try {
    parsed = readWithSecrets(worker, env);
  } catch (error) {
    v.push(`${file}: ${worker.name} refuses its [env]: ${(error as Error).message}`);
  }

  const service = table(config.http_service) as HttpService;
  if (service.internal_port !== worker.port) v.push(`${file}: internal_port ${service.internal_port}, its port is ${worker.port}`);
  if (parsed && parsed.PORT !== service.internal_port) v.push(`${file}: the process listens on ${parsed.PORT}, internal_port is ${service.internal_port}`);
  const checks = service.checks ?? [];
  if (!checks.some((c) => c.path === "/readyz")) v.push(`${file}: no HTTP check of /readyz`);
  for (const c of checks) {
    if (!servedPaths.has(c.path ?? "/")) v.push(`${file}: checks ${c.path}, which the code does not serve`);
  }

  if (TOKEN_METRICS.includes(worker.name) && config.metrics !== undefined) {
    v.push(`${file}: [metrics] has fly scrape ${worker.name}'s /metrics, which needs an operator's token fly does not send (401)`);
  }

  const killSeconds = flySeconds(config.kill_timeout ?? 5);
  const deadlineMs = Number(parsed?.SHUTDOWN_TIMEOUT_MS ?? 0);
  if (killSeconds === undefined || killSeconds * 1000 <= deadlineMs) {
    v.push(`${file}: kill_timeout ${config.kill_timeout ?? "5 (default)"} is not above SHUTDOWN_TIMEOUT_MS ${deadlineMs}`);
  }
  if (!KILL_SIGNALS.includes(String(config.kill_signal ?? "SIGINT"))) v.push(`${file}: kill_signal ${config.kill_signal} does not start a drain`);

  const autoStop = service.auto_stop_machines ?? true;
  if (worker.reads.length > 0 && autoStop !== "off" && autoStop !== false) {
    v.push(`${file}: ${worker.name} reads Redis streams but auto_stop_machines is ${JSON.stringify(autoStop)} (must be "off")`);
  }

  const databaseUrl = String(parsed?.DATABASE_URL ?? "");
  if (databaseUrl.startsWith("file:")) {
    const path = databaseUrl.slice("file:".length).split("?")[0]!;
    const onVolume = tables(config.mounts).some((m) => path.startsWith(`${String(m.destination).replace(/\/$/, "")}/`));
    if (!onVolume) v.push(`${file}: DATABASE_URL ${databaseUrl} is not on a [[mounts]] volume (lost on every deploy)`);
  }
  return v;
}

/**
 * fly mounts volumes owned by root, and the image's default target runs as an unprivileged
 * user: an app with a volume builds the Dockerfile target that hands the volume over first.
 */
export function flyVolumeOwnerRule({ file, config }: FlyApp, dockerStages: string[], volumeTarget = "fly"): string[] {
  if (tables(config.mounts).length === 0) return [];
  const target = table(config.build)["build-target"];
  if (target !== volumeTarget) return [`${file}: mounts a volume but builds target ${target ?? "(default, non-root)"}, not "${volumeTarget}"`];
  return dockerStages.includes(volumeTarget) ? [] : [`${file}: the Dockerfile has no stage "${volumeTarget}"`];
}

/** The rentalnang process an app's first [processes] command runs, if any. */
export const processOf = (config: Record<string, unknown>) =>
  workerOfCommand(String(Object.values(table(config.processes))[0] ?? "").split(/\s+/));

/**
 * Each `*_URL` naming another app's Flycast address (http://<app>.flycast) names an app of
 * this set that runs the matching process: RENTAL_URL leads to rental, and so on.
 */
export function flyUpstreamsRule(apps: FlyApp[]): string[] {
  const processOfApp = new Map(apps.map((a) => [String(a.config.app), processOf(a.config)]));
  return apps.flatMap(({ file, config }) =>
    Object.entries(table(config.env))
      .filter(([key, value]) => key.endsWith("_URL") && String(value).includes(".flycast"))
      .flatMap(([key, value]) => {
        const app = new URL(String(value)).hostname.replace(/\.flycast$/, "");
        const wanted = key.replace(/_URL$/, "").toLowerCase();
        if (!processOfApp.has(app)) return [`${file}: ${key} leads to ${app}, which none of the fly configs defines`];
        return processOfApp.get(app) === wanted ? [] : [`${file}: ${key} leads to ${app}, which runs ${processOfApp.get(app)}`];
      }),
  );
}
