import { describe, expect, test } from "bun:test";
import { streamKey } from "@rentalnang/shared/topology/redis-keys";
import { consumerGroupOf, portOf, streamNames } from "@rentalnang/shared/topology/topology";
import { container, find, flyApps, kubectl, overlay, OVERLAYS } from "./fixtures.ts";
import { secretPlaceholder } from "./worker-rules.ts";
import { flyTopologyRule, k8sCallsRule, k8sMetricsPortRule, k8sOneBusRule, kedaStreamsRule } from "./topology-rules.ts";

/**
 * The manifests and fly configs cannot import shared/src/topology/topology.ts: these tests
 * hold them to it, so a consumer added there and forgotten here fails `npm run check:deploy`.
 */

const k8sRules = {
  "KEDA triggers watch a stream their worker's group reads, as that group": kedaStreamsRule,
  "each process is told where the workers it calls listen (<NAME>_URL: their Service and port)": k8sCallsRule,
  "Prometheus scrapes each worker on its port": k8sMetricsPortRule,
  "the workers on the bus are given one Redis and one STREAM_PREFIX": k8sOneBusRule,
};

for (const name of OVERLAYS) {
  describe.skipIf(!kubectl)(`k8s/overlays/${name} follows the topology`, () => {
    for (const [title, rule] of Object.entries(k8sRules)) {
      test(title, () => expect(rule(overlay(name))).toEqual([]));
    }
  });
}

test("the fly apps set <NAME>_URL for each worker they call, scrape their port and share one STREAM_PREFIX", () => {
  expect(flyTopologyRule(flyApps())).toEqual([]);
});

describe.skipIf(!kubectl)("the topology rules report what they guard against", () => {
  const deliveryReads = consumerGroupOf("delivery")!.streams;
  const unread = streamNames.find((s) => !deliveryReads.includes(s))!;
  const readList = deliveryReads.map((s) => streamKey("rentalnang", s)).join(", ");

  test("a KEDA trigger on another stream prefix or consumer group", () => {
    const objects = overlay("prod");
    const metadata = find(objects, "ScaledObject", "delivery").spec.triggers[0].metadata;
    metadata.stream = streamKey("orders", deliveryReads[0]!);
    metadata.consumerGroup = "mypage";
    expect(kedaStreamsRule(objects)).toEqual([
      `ScaledObject/delivery trigger redis-streams: stream ${metadata.stream} is none of those delivery reads: ${readList}`,
      "ScaledObject/delivery trigger redis-streams: consumerGroup mypage, but delivery reads as group delivery",
    ]);
  });

  test("a KEDA trigger on a stream its worker does not read", () => {
    const objects = overlay("prod");
    find(objects, "ScaledObject", "delivery").spec.triggers[0].metadata.stream = streamKey("rentalnang", unread);
    expect(kedaStreamsRule(objects)).toEqual([
      `ScaledObject/delivery trigger redis-streams: stream ${streamKey("rentalnang", unread)} is none of those delivery reads: ${readList}`,
    ]);
  });

  test("an upstream URL on the wrong Service or port, or missing", () => {
    const objects = overlay("prod");
    container(objects, "Deployment", "rental").env = [{ name: "PAYMENT_URL", value: "http://payments:9999" }];
    const gatewayConfig = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gateway-config"))!;
    delete (gatewayConfig.data as Record<string, string>).MYPAGE_URL;
    expect(k8sCallsRule(objects)).toEqual([
      "Deployment/gateway container gateway: MYPAGE_URL is not set, so gateway cannot reach mypage",
      "Deployment/rental container rental: PAYMENT_URL=http://payments:9999 does not name the Service payment",
      `Deployment/rental container rental: PAYMENT_URL=http://payments:9999, but payment listens on ${portOf("payment")}`,
    ]);
  });

  test("a Prometheus port other than the worker's", () => {
    const objects = overlay("prod");
    find(objects, "Deployment", "mypage").spec.template.metadata.annotations["prometheus.io/port"] = "9090";
    expect(k8sMetricsPortRule(objects)).toEqual([`Deployment/mypage: Prometheus scrapes port 9090, mypage listens on ${portOf("mypage")}`]);
  });

  test("a worker on another STREAM_PREFIX", () => {
    const objects = overlay("prod");
    container(objects, "Deployment", "mypage").env.push({ name: "STREAM_PREFIX", value: "other" });
    expect(k8sOneBusRule(objects)).toEqual([expect.stringContaining("the workers do not share one Redis and STREAM_PREFIX")]);
    expect(k8sOneBusRule(objects)[0]).toContain(`Deployment/mypage container mypage: redis://default:${secretPlaceholder("redis-auth", "password")}@redis:6379 other`);
  });
});

describe("the fly topology rule reports what it guards against", () => {
  test("a fly app without the URL of a worker it calls, scraped on another port, or on another prefix", () => {
    const apps = flyApps();
    const rental = apps.find((a) => a.file === "fly/rental.toml")!;
    delete (rental.config.env as Record<string, unknown>).PAYMENT_URL;
    (rental.config.metrics as Record<string, unknown>).port = 9091;
    (apps.find((a) => a.file === "fly/mypage.toml")!.config.env as Record<string, unknown>).STREAM_PREFIX = "other";
    expect(flyTopologyRule(apps)).toEqual([
      "fly/rental.toml: [env] has no PAYMENT_URL, so rental cannot reach payment",
      `fly/rental.toml: [metrics] port 9091, rental listens on ${portOf("rental")}`,
      expect.stringMatching(/^the apps on the bus do not share one STREAM_PREFIX: .*fly\/mypage\.toml: other/),
    ]);
  });
});
