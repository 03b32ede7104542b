import { describe, expect, test } from "bun:test";
import { publishAll } from "../bus/publisher.ts";
import { connectRedis } from "../bus/redis.ts";
import { envelopeFor } from "../db/outbox.ts";
import { createLogger } from "../log/logger.ts";
import { Metrics } from "../observability/metrics.ts";
import { cleanupEach } from "../testing/cleanup.ts";
import { eventually } from "../testing/eventually.ts";
import { testPrefix, testRedis } from "../testing/harness.ts";
import { streamKey } from "../topology/redis-keys.ts";
import { workerConsumer } from "./worker-consumer.ts";

const cleanup = cleanupEach();

describe("a worker's consumer", () => {
  test("while its database is away it stays ready, says it is degraded, and counts the seconds", async () => {
    const url = (await testRedis()).url;
    const redis = connectRedis(url, "command", "test");
    cleanup.defer(() => redis.disconnect());
    const prefix = testPrefix("wc");
    const metrics = new Metrics("test");
    const wired = workerConsumer({
      name: "payment", config: { STREAM_PREFIX: prefix, REDIS_URL: url }, consumes: ["rental"],
      redis, metrics, logger: createLogger("test", "silent"),
    });
    await wired.start(async () => {
      throw Object.assign(new Error("SQLITE_BUSY: database is locked"), { code: "SQLITE_BUSY" });
    });
    cleanup.defer(() => wired.stop());
    const event = envelopeFor({ type: "Rented", version: 1, aggregateId: "1", data: {} }, "rental", { correlationId: "c1" });
    await publishAll(redis, streamKey(prefix, "rental"), [JSON.stringify(event)]);

    // Recovery is the consumer's own business (shared/src/bus/consumer/outages-and-crashes.int.test.ts).
    const details = await eventually(async () => ((await wired.check()) ?? {}).degraded && (await wired.check()), { what: "degraded" });
    expect(details).toMatchObject({ group: "payment", deadLetters: 0, degraded: true, reason: expect.stringContaining("SQLITE_BUSY") });
    await Bun.sleep(200);
    const scraped = await metrics.registry.metrics();
    const seconds = Number(/consumer_degraded_seconds_total\{[^}]*\} ([\d.]+)/.exec(scraped)?.[1]);
    expect(seconds).toBeGreaterThan(0.1);
  });
});
