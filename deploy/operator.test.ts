import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { find, kubectl, overlay, OVERLAYS, ROOT } from "./fixtures.ts";
import type { K8sObject } from "./manifests.ts";
import { callersRule } from "./network-rules.ts";
import { invariantCheckRule, operatorDocsRule } from "./operator-rules.ts";

/**
 * The operators' audit in a cluster, checked offline on the rendered overlays: the
 * check-invariants CronJob goes through the gateway with a token from a Secret, the
 * NetworkPolicies let it reach the gateway and the gateway every worker, and
 * docs/deploy.md runs what the manifests hold. No cluster is needed, nor available here.
 */

const docs = readFileSync(join(ROOT, "docs", "deploy.md"), "utf8");

for (const name of OVERLAYS) {
  describe.skipIf(!kubectl)(`k8s/overlays/${name}: the invariant check in the cluster`, () => {
    test("its job runs check-invariants --gateway with an operator token from a Secret, reaches the gateway, and the gateway reaches every worker", () => {
      expect(invariantCheckRule(overlay(name))).toEqual([]);
    });

    test("docs/deploy.md creates its job from the CronJob the overlay holds, and forwards Service ports that exist", () => {
      expect(operatorDocsRule(overlay(name), docs)).toEqual([]);
    });
  });
}

const JOB = "CronJob/check-invariants";
const job = (objects: K8sObject[]) => find(objects, "CronJob", "check-invariants").spec.jobTemplate.spec.template.spec.containers[0];
const gatewayConfig = (objects: K8sObject[]) => objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gateway-config")) as K8sObject & { data: Record<string, string> };
const withoutPolicy = (objects: K8sObject[], policy: string) => objects.filter((o) => !(o.kind === "NetworkPolicy" && o.metadata.name === policy));

describe.skipIf(!kubectl)("the invariant check's rules report what they guard against", () => {
  test("a job the NetworkPolicies keep from the gateway", () => {
    const objects = withoutPolicy(overlay("prod"), "allow-operator-jobs");
    expect(invariantCheckRule(objects)).toEqual([`${JOB} cannot reach Deployment/gateway on port 8088: no NetworkPolicy lets its pods in`]);
    expect(callersRule(objects)).toEqual([`${JOB} cannot reach Deployment/gateway on port 8088, although it runs check-invariants through the gateway`]);
  });

  test("a --gateway that leads elsewhere, to no port, or is missing", () => {
    const objects = overlay("dev");
    const argv = job(objects).command as string[];
    argv[argv.indexOf("--gateway") + 1] = "http://mypage:8084";
    expect(invariantCheckRule(objects)).toEqual([expect.stringContaining("--gateway http://mypage:8084 leads to Deployment/mypage, not Deployment/gateway")]);
    argv[argv.indexOf("--gateway") + 1] = "http://gateway:80";
    expect(invariantCheckRule(objects)).toEqual([expect.stringContaining("--gateway http://gateway:80: Service/gateway offers no port 80")]);
    argv.splice(argv.indexOf("--gateway"), 2);
    expect(invariantCheckRule(objects)).toEqual([expect.stringContaining("runs check-invariants without --gateway")]);
    argv.push("--gateways", "http://gateway:8088");
    expect(invariantCheckRule(objects)).toEqual([expect.stringContaining("npm run check-invariants would refuse its arguments: Unknown option '--gateways'")]);
  });

  test("a token written into the manifest, or settings the command does not read in the cluster", () => {
    const objects = overlay("prod");
    job(objects).env = [{ name: "OPERATOR_TOKEN", value: "<token>" }, { name: "REDIS_URL", value: "redis://redis:6379" }];
    expect(invariantCheckRule(objects).toSorted()).toEqual([
      `${JOB} container check-invariants: OPERATOR_TOKEN does not come from a Secret it requires (valueFrom.secretKeyRef)`,
      `${JOB} container check-invariants: sets REDIS_URL, which check-invariants --gateway does not read (it reads OPERATOR_TOKEN)`,
    ]);
  });

  test("a gateway whose URL of a worker leads nowhere, or that the policies keep from a worker", () => {
    const objects = overlay("prod");
    gatewayConfig(objects).data.MYPAGE_URL = "http://mypage:9999";
    expect(invariantCheckRule(objects)).toEqual([expect.stringContaining("MYPAGE_URL http://mypage:9999: Service/mypage offers no port 9999")]);
    const cut = withoutPolicy(overlay("prod"), "allow-gateway-upstreams");
    expect(invariantCheckRule(cut).toSorted()).toEqual(["delivery", "mypage", "rental"].map((w) =>
      expect.stringContaining(`Deployment/gateway cannot reach Deployment/${w} on port`)));
  });

  test("docs that create no job from the CronJob, one from a CronJob that is not there, or forward a port no Service offers", () => {
    const objects = overlay("dev");
    expect(operatorDocsRule(objects, "kubectl port-forward svc/gateway 9999:9999")).toEqual([
      "docs/deploy.md creates no job --from=cronjob/check-invariants",
      "docs/deploy.md forwards svc/gateway port 9999, which no Service offers",
    ]);
    expect(operatorDocsRule(objects, "kubectl create job x --from=cronjob/check-invariants; kubectl create job y --from=cronjob/audit")).toEqual([
      "docs/deploy.md creates a job from cronjob/audit, which is not a CronJob running an operator command",
    ]);
  });

  test("an overlay without the job", () => {
    expect(invariantCheckRule(overlay("prod").filter((o) => o.kind !== "CronJob"))).toEqual([
      "no workload runs scripts/check-invariants.ts (docs/deploy.md runs it from k8s/base/check-invariants.yaml)",
    ]);
  });
});
