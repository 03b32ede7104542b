import { LAB_MODE } from "@rentalnang/shared/auth/authentication-from-config";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import type { WorkerName } from "@rentalnang/shared/topology/topology";
import { createApp as deliveryApp } from "../../workers/delivery/src/app.ts";
import { createApp as mypageApp } from "../../workers/mypage/src/app.ts";
import { createApp as paymentApp } from "../../workers/payment/src/app.ts";
import { createApp as rentalApp } from "../../workers/rental/src/app.ts";
import { publicApi, sortKeys } from "./public-api.ts";

/** Where the committed description lives, relative to the repository root. */
export const OPENAPI_FILE = "docs/openapi.json";

type AppFactory = (deps: never) => { request(path: string): Response | Promise<Response> };

/**
 * Every worker of the topology, each by its public createApp (a worker added there and not
 * here is a type error). The gateway has no description of its own: it forwards these paths
 * (see workers/gateway/src/routing/routes.ts).
 */
const WORKERS: Record<WorkerName, AppFactory> = {
  rental: rentalApp,
  payment: paymentApp,
  delivery: deliveryApp,
  mypage: mypageApp,
};

/**
 * Dependencies good enough to build an app and read its description: the frame's own parts
 * are real, every domain service is a stand-in that fails loudly if building the app ever
 * starts to call it (describing the API must not need a database, Redis or a queue).
 */
function describingDeps(worker: string): never {
  const real: Record<string, unknown> = {
    health: new Health(),
    logger: createLogger(`${worker}-openapi`, "silent"),
    metrics: new Metrics(worker),
    queues: [],
    board: {},
    auth: LAB_MODE,
  };
  const unused = (name: string) =>
    new Proxy({}, {
      get(_, key) {
        throw new Error(`${worker}: building the app touched deps.${name}.${String(key)}; describing the API must not`);
      },
    });
  return new Proxy(real, { get: (target, key: string) => (key in target ? target[key] : unused(key)) }) as never;
}

/** Each worker's OpenAPI document exactly as it serves it at GET /openapi.json, by worker name. */
async function workerDocuments(): Promise<Record<string, Record<string, unknown>>> {
  const documents: Record<string, Record<string, unknown>> = {};
  for (const [worker, createApp] of Object.entries(WORKERS)) {
    const res = await createApp(describingDeps(worker)).request("/openapi.json");
    if (!res.ok) throw new Error(`${worker}: GET /openapi.json answered ${res.status}`);
    documents[worker] = (await res.json()) as Record<string, unknown>;
  }
  return documents;
}

function asFile(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** The contents of docs/openapi.json: each worker's document under its name. */
export async function describeApis(): Promise<string> {
  return asFile(await workerDocuments());
}

/** The contents of the gateway's merged document of the public API (see public-api.ts). */
export async function describePublicApi(): Promise<string> {
  return asFile(publicApi(await workerDocuments()));
}
