import { describe, expect, test } from "bun:test";
import { REDIS_DURABILITY } from "@rentalnang/shared/bus/redis-server-args";
import { RUNTIME_ENV } from "@rentalnang/shared/lifecycle/runtime-env";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { container, find, flyApps as apps, flyFiles as files, kubectl, overlay, OVERLAYS, ROOT, written } from "./fixtures.ts";
import { flyKnownKeysRule, flyUpstreamsRule, flyVolumeOwnerRule, flyWorkerRule } from "./fly-rules.ts";
import {
  autoscalerRule, imageTagRule, k8sRules, noCommittedSecretsRule, probesRule, readWriteOnceRule,
  resourcesRule, securityRule,
} from "./k8s-rules.ts";
import type { K8sObject } from "./manifests.ts";
import { schemaViolations } from "./schemas.ts";
import { drainRule, everyProcessDeployedRule, workerEnvRule, workerPortsRule } from "./worker-rules.ts";
import { servedHealthPaths, workerOfCommand, workers } from "./workers.ts";

/**
 * Offline checks of everything that deploys rentalnang: the Kubernetes overlays as
 * `kubectl kustomize` renders them, against bundled schemas and the project's rules; the
 * fly.io configs; the container image. No cluster, registry or network is needed.
 */

if (!kubectl) {
  console.warn("deploy checks: kubectl is not on PATH, so the overlays were NOT rendered or checked; only the resources as written were.");
}

const servedPaths = await servedHealthPaths(["/healthz", "/readyz"]);

test("every process serves the health routes the platforms probe (/healthz, /readyz)", () => {
  expect([...servedPaths].sort()).toEqual(["/healthz", "/readyz"]);
});

describe("k8s resources as written", () => {
  test("validate against the bundled Kubernetes and KEDA schemas", () => {
    expect(written().flatMap(schemaViolations)).toEqual([]);
  });

  // Without patches, an autoscaled Deployment still carries spec.replicas and no Deployment
  // has its volume yet: those two rules only mean something on a rendered overlay.
  const needsRendering = new Set([autoscalerRule, readWriteOnceRule]);
  for (const [title, rule] of Object.entries(k8sRules).filter(([, r]) => !needsRendering.has(r))) {
    test(title, () => expect(rule(written())).toEqual([]));
  }
});

for (const name of OVERLAYS) {
  describe.skipIf(!kubectl)(`k8s/overlays/${name}`, () => {
    test("renders with kubectl kustomize, offline", () => {
      expect(overlay(name).length).toBeGreaterThan(0);
    });

    test("every object validates against the bundled Kubernetes and KEDA schemas", () => {
      expect(overlay(name).flatMap(schemaViolations)).toEqual([]);
    });

    for (const [title, rule] of Object.entries(k8sRules)) {
      test(title, () => expect(rule(overlay(name))).toEqual([]));
    }

    test("every variable set (env, envFrom ConfigMaps) is known to the worker's config.ts and accepted", () => {
      expect(workerEnvRule(overlay(name))).toEqual([]);
    });

    test("each process listens on its own port, behind its Service, probed on /readyz and /healthz", () => {
      expect(workerPortsRule(overlay(name), servedPaths)).toEqual([]);
    });

    test("the grace period covers the preStop pause plus SHUTDOWN_TIMEOUT_MS", () => {
      expect(drainRule(overlay(name))).toEqual([]);
    });

    test("each process runs in exactly one Deployment", () => {
      expect(everyProcessDeployedRule(overlay(name), workers)).toEqual([]);
    });
  });
}

describe.skipIf(!kubectl)("what each overlay is for", () => {
  const databaseUrls = (objects: K8sObject[]) =>
    Object.fromEntries(
      ["rental", "payment", "delivery", "mypage"].map((w) => [
        w,
        objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith(`${w}-config`))?.data as Record<string, string>,
      ]).map(([w, data]) => [w, (data as Record<string, string>).DATABASE_URL]),
    );

  test("dev: one replica each, embedded databases on volumes, in-cluster Redis, no autoscaling", () => {
    const dev = overlay("dev");
    expect(databaseUrls(dev)).toEqual({
      rental: "file:/data/rental.db", payment: "file:/data/payment.db",
      delivery: "file:/data/delivery.db", mypage: "file:/data/mypage.db",
    });
    for (const d of dev.filter((o) => o.kind === "Deployment")) expect((d as any).spec.replicas).toBe(1);
    expect(dev.some((o) => o.kind === "StatefulSet" && o.metadata.name === "redis")).toBe(true);
    expect(dev.filter((o) => ["HorizontalPodAutoscaler", "ScaledObject"].includes(o.kind))).toEqual([]);
  });

  test("prod: stateless workers on a libSQL server each, HPA on mypage, KEDA on delivery", () => {
    const prod = overlay("prod");
    expect(databaseUrls(prod)).toEqual({
      rental: "http://libsql-rental:8080", payment: "http://libsql-payment:8080",
      delivery: "http://libsql-delivery:8080", mypage: "http://libsql-mypage:8080",
    });
    for (const w of ["rental", "payment", "delivery", "mypage"]) {
      expect(find(prod, "StatefulSet", `libsql-${w}`).spec.volumeClaimTemplates).toHaveLength(1);
      expect(find(prod, "Deployment", w).spec.template.spec.volumes.some((v: any) => v.persistentVolumeClaim)).toBe(false);
    }
    const hpa = find(prod, "HorizontalPodAutoscaler", "mypage").spec;
    expect([hpa.scaleTargetRef.name, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization]).toEqual(["mypage", 5, 10]);
    const keda = find(prod, "ScaledObject", "delivery").spec;
    expect([keda.scaleTargetRef.name, keda.triggers[0].type, keda.triggers[0].metadata.consumerGroup]).toEqual(["delivery", "redis-streams", "delivery"]);
  });

  test("Redis keeps every entry: AOF on, fsync every second, noeviction", () => {
    const args: string[] = container(overlay("prod"), "StatefulSet", "redis").args;
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect([flag("--appendonly"), flag("--appendfsync"), flag("--maxmemory-policy")]).toEqual(["yes", "everysec", "noeviction"]);
    // The same settings as the Redis that npm start and the tests run (shared/src/bus/redis-server-args.ts).
    for (const [name, value] of Object.entries(REDIS_DURABILITY)) expect([name, flag(`--${name}`)]).toEqual([name, value]);
  });

  test("the queue board credentials come from an optional Secret, never from the manifests", () => {
    const env = container(overlay("prod"), "Deployment", "delivery").env;
    for (const key of ["BOARD_USER", "BOARD_PASSWORD"]) {
      expect(env.find((e: any) => e.name === key).valueFrom.secretKeyRef).toEqual({ name: "delivery-board", key, optional: true });
    }
  });
});

describe("the rules report what they guard against", () => {
  // On the resources as written, so these run with or without kubectl.
  test("a container without a readiness or liveness probe", () => {
    const objects = written();
    delete container(objects, "Deployment", "rental").readinessProbe;
    delete container(objects, "StatefulSet", "redis").livenessProbe;
    expect(probesRule(objects)).toEqual([
      "Deployment/rental container rental: no readinessProbe",
      "StatefulSet/redis container redis: no livenessProbe",
    ]);
  });

  test("a container without a CPU request or a memory limit", () => {
    const objects = written();
    delete container(objects, "Deployment", "mypage").resources.requests.cpu;
    delete container(objects, "Deployment", "gateway").resources.limits.memory;
    expect(resourcesRule(objects)).toEqual([
      "Deployment/gateway container gateway: no memory limit",
      "Deployment/mypage container mypage: no cpu request",
    ]);
  });

  test("an image on :latest or without a tag", () => {
    const objects = written();
    container(objects, "Deployment", "rental").image = "rentalnang:latest";
    container(objects, "StatefulSet", "redis").image = "docker.io/library/redis";
    expect(imageTagRule(objects)).toEqual([
      "Deployment/rental container rental: image rentalnang:latest uses :latest",
      "StatefulSet/redis container redis: image docker.io/library/redis has no tag",
    ]);
  });

  test("a container that may run as root or write its root filesystem", () => {
    const objects = written();
    delete container(objects, "Deployment", "payment").securityContext.readOnlyRootFilesystem;
    expect(securityRule(objects)).toEqual(["Deployment/payment container payment: root filesystem is writable"]);
  });

  test("an object that breaks its schema", () => {
    const objects = written();
    find(objects, "Deployment", "rental").spec.replicas = "two";
    expect(objects.flatMap(schemaViolations)).toEqual(["Deployment/rental: data/spec/replicas must be integer"]);
  });

  describe.skipIf(!kubectl)("on rendered overlays", () => {
    test("a Deployment under both an HPA and a ScaledObject", () => {
      const objects = overlay("prod");
      objects.push({
        apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "delivery-cpu" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "delivery" }, maxReplicas: 3 },
      });
      expect(autoscalerRule(objects)).toEqual([
        "Deployment/delivery is scaled by both ScaledObject/delivery and HorizontalPodAutoscaler/delivery-cpu",
      ]);
    });

    test("a Deployment on a ReadWriteOnce volume that rolls, runs two replicas or autoscales", () => {
      const objects = overlay("dev");
      const delivery = find(objects, "Deployment", "delivery");
      delivery.spec.replicas = 2;
      delivery.spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } };
      expect(readWriteOnceRule(objects)).toEqual([
        "Deployment/delivery mounts ReadWriteOnce claim delivery-data but does not use strategy Recreate",
        "Deployment/delivery mounts ReadWriteOnce claim delivery-data but runs 2 replicas",
      ]);
    });

    test("a variable the worker does not know, or a value it refuses", () => {
      const objects = overlay("prod");
      container(objects, "Deployment", "rental").env.push(
        { name: "PAYMNET_URL", value: "http://payment:8082" },
        { name: "PAYMENT_TIMEOUT_MS", value: "soon" },
      );
      const violations = workerEnvRule(objects);
      expect(violations).toHaveLength(2);
      expect(violations[0]).toBe("Deployment/rental container rental: sets PAYMNET_URL, unknown to workers/rental/src/config.ts");
      expect(violations[1]).toStartWith("Deployment/rental container rental: rental refuses its environment: PAYMENT_TIMEOUT_MS:");
    });

    test("a readiness probe on the wrong path and a Service on the wrong port", () => {
      const objects = overlay("prod");
      container(objects, "Deployment", "mypage").readinessProbe.httpGet.path = "/health";
      find(objects, "Service", "payment").spec.ports[0].port = 80;
      expect(workerPortsRule(objects, servedPaths)).toEqual([
        "Deployment/mypage container mypage: readinessProbe asks /health, not /readyz",
        "Deployment/mypage container mypage: readinessProbe asks /health, which the code does not serve",
        "Service/payment does not offer port 8082",
      ]);
    });

    test("a grace period shorter than the preStop pause plus the drain deadline", () => {
      const objects = overlay("prod");
      find(objects, "Deployment", "gateway").spec.template.spec.terminationGracePeriodSeconds = 20;
      expect(drainRule(objects)).toEqual([
        "Deployment/gateway container gateway: terminationGracePeriodSeconds 20 is not above preStop 5 s + SHUTDOWN_TIMEOUT_MS 20000",
      ]);
    });

    test("a committed password", () => {
      const objects = overlay("prod");
      (find(objects, "ConfigMap", objects.find((o) => o.metadata.name.startsWith("delivery-config"))!.metadata.name) as any)
        .data.BOARD_PASSWORD = "hunter2";
      expect(noCommittedSecretsRule(objects)).toEqual([
        expect.stringContaining("BOARD_PASSWORD looks like a secret"),
      ]);
    });
  });
});

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
/** The Dockerfile's stages in order: [name, its lines]. The last one is what `docker build` builds. */
const dockerStages = dockerfile.split(/^(?=FROM )/m).slice(1).map((stage) => [/^FROM \S+(?: AS (\S+))?/.exec(stage)?.[1] ?? "", stage] as const);

test("the image runs every process with the runtime settings npm start and the tests give it (shared/src/lifecycle/runtime-env.ts)", () => {
  const app = dockerStages.find(([name]) => name === "app")![1]; // the stage "fly" and "runtime" are built on
  for (const [name, value] of Object.entries(RUNTIME_ENV)) expect(app).toMatch(new RegExp(`^\\s*(ENV )?${name}=${value}\\b`, "m"));
});

describe("fly.io", () => {
  test("one app per process: fly.toml and fly/*.toml cover every process once each", () => {
    const runs = apps().map((a) => workerOfCommand(String(Object.values(a.config.processes as object)[0]).split(/\s+/)));
    expect(runs.sort()).toEqual(workers.map((w) => w.name).sort());
    expect(new Set(apps().map((a) => a.config.app)).size).toBe(files.length);
  });

  for (const file of files) {
    test(`${file}: only keys flyctl knows`, () => {
      expect(flyKnownKeysRule(apps().find((a) => a.file === file)!)).toEqual([]);
    });
    test(`${file}: env known to the worker, port and checks match the code, drains, never auto-stops a consumer`, () => {
      expect(flyWorkerRule(apps().find((a) => a.file === file)!, servedPaths)).toEqual([]);
    });
    test(`${file}: a volume is handed to the app user (Dockerfile target "fly")`, () => {
      expect(flyVolumeOwnerRule(apps().find((a) => a.file === file)!, dockerStages.map(([name]) => name))).toEqual([]);
    });
  }

  test("every *_URL between apps leads to the app running that process", () => {
    expect(flyUpstreamsRule(apps())).toEqual([]);
  });

  test("the rules report an auto-stopping consumer, a database off the volume, an unknown variable", () => {
    const rental = apps().find((a) => a.file === "fly/rental.toml")!;
    (rental.config.http_service as any).auto_stop_machines = "stop";
    delete rental.config.mounts;
    (rental.config.env as any).PAYMNET_URL = "http://x.flycast";
    rental.config.kill_timeout = 10;
    expect(flyWorkerRule(rental, servedPaths)).toEqual([
      "fly/rental.toml: [env] sets PAYMNET_URL, unknown to workers/rental/src/config.ts",
      "fly/rental.toml: kill_timeout 10 is not above SHUTDOWN_TIMEOUT_MS 20000",
      'fly/rental.toml: rental reads Redis streams but auto_stop_machines is "stop" (must be "off")',
      "fly/rental.toml: DATABASE_URL file:/data/rental.db is not on a [[mounts]] volume (lost on every deploy)",
    ]);
  });

  test("the rules report a volume the app user could not write", () => {
    const payment = apps().find((a) => a.file === "fly/payment.toml")!;
    delete payment.config.build;
    expect(flyVolumeOwnerRule(payment, dockerStages.map(([name]) => name))).toEqual([
      'fly/payment.toml: mounts a volume but builds target (default, non-root), not "fly"',
    ]);
  });

  test("the rules report fly scraping the gateway's /metrics, which its scraper cannot pass", () => {
    const gateway = apps().find((a) => a.file === "fly.toml")!;
    gateway.config.metrics = { port: 8088, path: "/metrics" };
    expect(flyWorkerRule(gateway, servedPaths)).toEqual([
      "fly.toml: [metrics] has fly scrape gateway's /metrics, which needs an operator's token fly does not send (401)",
    ]);
  });
});

describe("container image", () => {
  const lockedBun = (JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as any).packages["node_modules/bun"].version;

  test("builds on the official Bun image, pinned to the Bun version the tests run on", () => {
    const base = /^ARG BUN_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toBe(`oven/bun:${lockedBun}-slim`);
    // Every stage starts from that image or from an earlier stage.
    const bases = dockerStages.map(([, lines]) => /^FROM (\S+)/.exec(lines)![1]);
    bases.forEach((base, i) => expect(["${BUN_IMAGE}", ...dockerStages.slice(0, i).map(([name]) => name)]).toContain(base!));
  });

  test("installs production dependencies only, from the lockfile, and runs as a non-root user", () => {
    expect(dockerfile).toMatch(/bun install --production --frozen-lockfile/);
    const [defaultTarget, lines] = dockerStages.at(-1)!;
    expect([defaultTarget, /^USER (\S+)$/m.exec(lines)?.[1]]).toEqual(["runtime", "1000:1000"]);
    // The fly target starts as root only to chown its volume, then drops to the same user.
    const fly = dockerStages.find(([name]) => name === "fly")![1];
    expect(fly).toContain("setpriv --reuid=1000 --regid=1000");
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of ["**/node_modules", "**/.env", "**/.env.*", ".git"]) expect(ignored).toContain(entry);
  });

  test("every command the manifests and fly configs run names an entry file of the image", () => {
    const entries = workers.map((w) => `workers/${w.name}/src/main.ts`);
    expect(entries.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
