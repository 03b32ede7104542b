import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { clientSecretsRule, libsqlAuthRule, redisPasswordRule, requiredSecrets } from "./credential-rules.ts";
import { issuerRule, metricsRule, tlsRule } from "./edge-rules.ts";
import { container, find, flyFiles, kubectl, overlay, OVERLAYS, ROOT } from "./fixtures.ts";
import type { K8sObject } from "./manifests.ts";
import {
  callersRule, databaseAccessRule, defaultDenyRule, ingressControllerRule, monitoringRule, networkRules, OUTSIDE, redisAccessRule, unexpectedPodsRule,
} from "./network-rules.ts";
import { noCommittedSecretsRule, scanFile } from "./secret-rules.ts";
import { secretPlaceholder } from "./worker-rules.ts";
import { workers } from "./workers.ts";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The infrastructure's security, checked offline on the rendered overlays: who can reach
 * whom (NetworkPolicies), the credentials Redis and the libSQL servers require and the
 * clients present, TLS at the edge, and no secret value anywhere in the repository's deploy
 * files. docs/security.md lists each threat with the test here that covers it.
 */

const credentialRules = {
  "Redis requires a password from a Secret, and every REDIS_URL and KEDA trigger carries it": redisPasswordRule,
  "each libSQL server requires a token signed with its own key, and its worker presents one from a Secret": libsqlAuthRule,
  "identity holds its clients' secrets from a Secret, and rental presents the same one": clientSecretsRule,
  "every Ingress host is served over TLS with a certificate from cert-manager": tlsRule,
  "every process accepts identity's tokens, and the issuer and the public URL are served by the Ingress": issuerRule,
  "the Ingress sends no path to a /metrics that answers without a token (identity's and the workers')": metricsRule,
};

for (const name of OVERLAYS) {
  describe.skipIf(!kubectl)(`k8s/overlays/${name}: security`, () => {
    for (const [title, rule] of Object.entries({ ...networkRules, ...credentialRules })) {
      test(title, () => expect(rule(overlay(name))).toEqual([]));
    }
  });
}

/** Every deploy file as committed. */
function deployFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir)).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(join(ROOT, path)).isDirectory() ? walk(path) : /\.ya?ml$/.test(entry) ? [path] : [];
    });
  return [...walk("k8s"), ...flyFiles, "Dockerfile"];
}

const gitIgnores = (path: string) => Bun.spawnSync(["git", "check-ignore", "-q", path], { cwd: ROOT }).exitCode === 0;
const scan = (path: string, text: string) =>
  scanFile(path, text, (file) => gitIgnores(relative(ROOT, join(ROOT, dirname(path), file))));

test("no deploy file commits a secret value (k8s/, fly configs, Dockerfile)", () => {
  expect(deployFiles().flatMap((path) => scan(path, readFileSync(join(ROOT, path), "utf8")))).toEqual([]);
});

describe.skipIf(!kubectl)("every Secret the workloads need is created in docs/deploy.md, with each key", () => {
  const docs = readFileSync(join(ROOT, "docs", "deploy.md"), "utf8");
  for (const name of OVERLAYS) {
    test(name, () => {
      const missing = [...requiredSecrets(overlay(name))].flatMap(([secret, keys]) => {
        // A loop over the workers may create theirs: `create secret generic $w-database`.
        const spellings = [secret, ...workers.map((w) => secret.replace(new RegExp(`\\b${w.name}\\b`), "$w"))].map(escape);
        const command = new RegExp(`create secret generic (${spellings.join("|")})(?![\\w-])([^\\n]*\\\\\\n)*[^\\n]*`).exec(docs)?.[0];
        if (!command) return [`${secret}: no kubectl create secret generic ${secret}`];
        return [...keys].filter((key) => !command.includes(`--from-literal=${key}=`)).map((key) => `${secret}: key ${key} is not created`);
      });
      expect(missing).toEqual([]);
    });
  }
});

const policy = (objects: K8sObject[], name: string) => find(objects, "NetworkPolicy", name);
const names = (p: { spec: any }, index = 0) => p.spec.ingress[0].from[index].podSelector.matchExpressions[0].values as string[];

describe.skipIf(!kubectl)("the network rules report what they guard against", () => {
  test("no default deny", () => {
    const objects = overlay("prod").filter((o) => o.metadata.name !== "default-deny-ingress");
    expect(defaultDenyRule(objects)).toEqual([expect.stringContaining("no NetworkPolicy denies all ingress")]);
  });

  test("a worker reachable from the Ingress controller", () => {
    const objects = overlay("prod");
    policy(objects, "allow-ingress-controller").spec.podSelector.matchExpressions[0].values.push("rental");
    expect(ingressControllerRule(objects)).toEqual([`${OUTSIDE.ingressController.name} can reach Deployment/rental on port 8081, which it should not`]);
  });

  test("payment reachable from mypage, rental no longer", () => {
    const objects = overlay("prod");
    names(policy(objects, "allow-payment")).splice(0, 1, "mypage");
    expect(callersRule(objects)).toEqual([
      "Deployment/mypage can reach Deployment/payment on port 8082, which it should not",
      "Deployment/rental cannot reach Deployment/payment on port 8082, although it calls payment",
    ]);
  });

  test("Redis reachable from identity, and from anyone once a policy lets everyone in", () => {
    const objects = overlay("dev");
    names(policy(objects, "allow-redis")).push("identity");
    expect(redisAccessRule(objects)).toEqual(["Deployment/identity can reach StatefulSet/redis on port 6379, which it should not"]);
    policy(objects, "allow-redis").spec.ingress.push({});
    expect(redisAccessRule(objects)).toContain("a pod of another namespace can reach StatefulSet/redis on port 6379, which it should not");
  });

  test("a worker without Redis, and KEDA shut out", () => {
    const objects = overlay("prod").filter((o) => o.metadata.name !== "allow-keda-to-redis");
    names(policy(objects, "allow-redis")).splice(names(policy(objects, "allow-redis")).indexOf("mypage"), 1);
    expect(redisAccessRule(objects)).toEqual([
      "Deployment/mypage cannot reach StatefulSet/redis on port 6379, although its REDIS_URL names it",
      `${OUTSIDE.keda.name} cannot reach StatefulSet/redis on port 6379, although a ScaledObject watches a stream`,
    ]);
  });

  test("a libSQL server reachable from another worker", () => {
    const objects = overlay("prod");
    policy(objects, "allow-libsql-rental").spec.ingress[0].from[0].podSelector.matchLabels["app.kubernetes.io/name"] = "mypage";
    expect(databaseAccessRule(objects)).toEqual([
      "Deployment/mypage can reach StatefulSet/libsql-rental on port 8080, which it should not",
      "Deployment/rental cannot reach StatefulSet/libsql-rental on port 8080, although its DATABASE_URL names it",
    ]);
  });

  test("any pod of the monitoring namespace let in, not only Prometheus", () => {
    const objects = overlay("dev");
    delete policy(objects, "allow-prometheus").spec.ingress[0].from[0].podSelector;
    expect(monitoringRule(objects)).toContain("another pod of namespace monitoring can reach Deployment/gateway on port 8088, which it should not");
  });

  test("a pod that no policy selects is open to everyone", () => {
    const objects = overlay("dev").filter((o) => o.kind !== "NetworkPolicy");
    expect(unexpectedPodsRule(objects)).toEqual([]);
    expect(callersRule(objects)).toContain("a pod of another namespace can reach Deployment/payment on port 8082, which it should not");
  });
});

describe.skipIf(!kubectl)("the credential and edge rules report what they guard against", () => {
  test("Redis without --requirepass", () => {
    const objects = overlay("dev");
    const redis = container(objects, "StatefulSet", "redis");
    redis.args.splice(redis.args.indexOf("--requirepass"), 2);
    expect(redisPasswordRule(objects)).toEqual([expect.stringContaining("StatefulSet/redis: does not start with --requirepass")]);
  });

  test("a REDIS_URL without the password, a KEDA trigger without authentication", () => {
    const objects = overlay("prod");
    container(objects, "Deployment", "mypage").env.find((e: any) => e.name === "REDIS_URL").value = "redis://redis:6379";
    delete find(objects, "ScaledObject", "delivery").spec.triggers[0].authenticationRef;
    expect(redisPasswordRule(objects)).toEqual([
      "Deployment/mypage container mypage: REDIS_URL does not carry the password of Secret redis-auth/password, which StatefulSet/redis requires",
      "ScaledObject/delivery: its redis-streams trigger does not authenticate with Secret redis-auth/password (authenticationRef to a TriggerAuthentication)",
    ]);
  });

  test("a libSQL server without auth, two sharing a key, a worker without a token", () => {
    const objects = overlay("prod");
    container(objects, "StatefulSet", "libsql-payment").env = [];
    container(objects, "StatefulSet", "libsql-mypage").env[0].valueFrom.secretKeyRef.name = "libsql-delivery-auth";
    container(objects, "Deployment", "rental").env = container(objects, "Deployment", "rental").env.filter((e: any) => e.name !== "DATABASE_AUTH_TOKEN");
    expect(libsqlAuthRule(objects)).toEqual([
      "StatefulSet/libsql-mypage and StatefulSet/libsql-delivery trust the same key libsql-delivery-auth/jwt-key: a token for one opens the other",
      expect.stringContaining("StatefulSet/libsql-payment: requires no token"),
      "Deployment/rental container rental: DATABASE_AUTH_TOKEN does not come from a Secret, so StatefulSet/libsql-rental would refuse it",
    ]);
  });

  test("rental presenting the gateway's client secret, or none", () => {
    const objects = overlay("prod");
    const secret = container(objects, "Deployment", "rental").env.find((e: any) => e.name === "OIDC_CLIENT_SECRET");
    secret.valueFrom.secretKeyRef.key = "gateway";
    const expected = ["Deployment/rental container rental: OIDC_CLIENT_SECRET is not the Secret identity holds as RENTAL_CLIENT_SECRET"];
    expect(clientSecretsRule(objects)).toEqual(expected);
    delete secret.valueFrom;
    expect(clientSecretsRule(objects)).toEqual(expected);
  });

  test("an Ingress without tls, a host it does not cover, no issuer", () => {
    const objects = overlay("prod");
    const ingress = find(objects, "Ingress", "gateway");
    ingress.spec.tls[0].hosts.pop();
    delete ingress.metadata.annotations!["cert-manager.io/cluster-issuer"];
    expect(tlsRule(objects)).toEqual([
      "Ingress/gateway: host auth.rentals.example.com is not in its tls hosts",
      "Ingress/gateway: no cert-manager.io/cluster-issuer or cert-manager.io/issuer annotation, so nothing issues its certificate",
    ]);
    delete ingress.spec.tls;
    expect(tlsRule(objects)).toContain("Ingress/gateway: no tls block, so it serves plain HTTP");
    // The issuer's host is no longer served over TLS either.
    expect(issuerRule(objects)).toContain(
      "Deployment/identity container identity: OIDC_ISSUER=https://auth.rentals.example.com, but no Ingress serves auth.rentals.example.com over TLS to Service identity",
    );
  });

  test("an Ingress path that leads the outside to identity's /metrics, and an issuer host without discovery", () => {
    const objects = overlay("prod");
    const auth = find(objects, "Ingress", "gateway").spec.rules.find((r: { host: string }) => r.host === "auth.rentals.example.com");
    const route = (path: string, pathType = "Prefix") => ({ path, pathType, backend: { service: { name: "identity", port: { name: "http" } } } });
    auth.http.paths.push(route("/"), route("/metrics", "Exact"), route("/metric"));
    expect(metricsRule(objects)).toEqual([
      "Ingress/gateway: auth.rentals.example.com path / sends /metrics to Service identity, which serves it without a token",
      "Ingress/gateway: auth.rentals.example.com path /metrics sends /metrics to Service identity, which serves it without a token",
    ]);
    auth.http.paths = auth.http.paths.filter((p: { path: string }) => p.path !== "/.well-known" && p.path !== "/");
    expect(issuerRule(objects)).toContain(
      "Deployment/identity container identity: OIDC_ISSUER=https://auth.rentals.example.com, but no Ingress serves auth.rentals.example.com over TLS to Service identity",
    );
  });

  test("a process accepting another issuer, a plain-HTTP issuer in production", () => {
    const objects = overlay("prod");
    container(objects, "Deployment", "mypage").env.push({ name: "OIDC_ISSUER", value: "https://other.example.com" });
    container(objects, "Deployment", "identity").env.push({ name: "OIDC_ISSUER", value: "http://identity:8090" });
    const violations = issuerRule(objects);
    expect(violations).toContain("Deployment/identity container identity: OIDC_ISSUER=http://identity:8090 is not https, in production");
    expect(violations).toContain("Deployment/mypage container mypage: OIDC_ISSUER=https://other.example.com, but identity signs with http://identity:8090");
  });

  test("a gateway signing people in from another origin than the one identity sends them back to", () => {
    const objects = overlay("prod");
    container(objects, "Deployment", "gateway").env.push({ name: "PUBLIC_URL", value: "https://www.rentals.example.com" });
    expect(issuerRule(objects)).toContain(
      "Deployment/gateway container gateway: PUBLIC_URL=https://www.rentals.example.com, but identity sends sign-ins back to https://rentals.example.com",
    );
  });
});

describe("the secret scans report what they guard against", () => {
  test.skipIf(!kubectl)("on rendered objects: a Secret with a value, a password as env value, on the command line, in a URL", () => {
    const objects = overlay("dev");
    objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "redis-auth" }, stringData: { password: "hunter2", user: "<set me>" } });
    container(objects, "Deployment", "delivery").env.push({ name: "BOARD_PASSWORD", value: "hunter2" });
    const redis = container(objects, "StatefulSet", "redis");
    redis.args[redis.args.indexOf("--requirepass") + 1] = "hunter2";
    container(objects, "Deployment", "rental").env.find((e: any) => e.name === "REDIS_URL").value = "redis://default:hunter2@redis:6379";
    expect(noCommittedSecretsRule(objects)).toEqual([
      "Secret/redis-auth: a Secret with values is committed (password)",
      "Deployment/delivery container delivery: BOARD_PASSWORD looks like a secret but has a value; use secretKeyRef",
      "Deployment/rental container rental: REDIS_URL holds a URL with a literal password",
      "StatefulSet/redis container redis: --requirepass is given a literal value on the command line",
    ]);
  });

  test("in files: generator literals, an unignored env file, fly [env], a JWT, a private key, a Dockerfile ENV", () => {
    const kustomization = [
      "secretGenerator:",
      "  - name: redis-auth",
      "    literals: [password=hunter2]",
      "  - name: oidc-clients",
      "    envs: [clients.env]",
      "configMapGenerator:",
      "  - name: x",
      "    literals: [DATABASE_AUTH_TOKEN=abc]",
    ].join("\n");
    expect(scan("k8s/overlays/prod/kustomization.yaml", kustomization)).toEqual([
      "k8s/overlays/prod/kustomization.yaml: secretGenerator[0].literals[0] sets password literally",
      "k8s/overlays/prod/kustomization.yaml: configMapGenerator[0].literals[0] sets DATABASE_AUTH_TOKEN literally",
      "k8s/overlays/prod/kustomization.yaml: secretGenerator redis-auth has literals",
      "k8s/overlays/prod/kustomization.yaml: secretGenerator oidc-clients reads clients.env, which git does not ignore",
    ]);
    const jwt = ["eyJhbGciOiJFZERTQSJ9", "eyJhIjoicncifQ", "c2lnbmF0dXJl"].join(".");
    expect(scan("fly/x.toml", `[env]\n  DATABASE_AUTH_TOKEN = "${jwt}"\n  REDIS_URL = "redis://default:pw@host:6379"\n`)).toEqual([
      "fly/x.toml: holds a JWT",
      "fly/x.toml: env.DATABASE_AUTH_TOKEN has a value",
      "fly/x.toml: env.REDIS_URL holds a URL with a password",
    ]);
    expect(scan("Dockerfile", `FROM x\nENV API_KEY=abc\nRUN echo '-----BEGIN ${"PRIVATE"} KEY-----'\n`)).toEqual([
      "Dockerfile: holds a private key",
      "Dockerfile: API_KEY has a value (ENV)",
    ]);
  });

  test("placeholders and $(VAR) references are not values", () => {
    const objects: K8sObject[] = [{ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { a: "", b: "<your password>", c: "REPLACE_ME" } }];
    expect(noCommittedSecretsRule(objects)).toEqual([]);
    expect(scan("k8s/x.yaml", `env:\n  - name: REDIS_URL\n    value: redis://default:$(REDIS_PASSWORD)@redis:6379\n`)).toEqual([]);
    expect(secretPlaceholder("redis-auth", "password")).not.toMatch(/hunter2/);
  });
});
