import { expect, test } from "bun:test";
import { formatChaos, runChaos } from "../../scripts/chaos/chaos.ts";

/**
 * The bounded CI version of `npm run chaos`: load through the gateway while random processes
 * are SIGKILLed every few seconds and Redis once, then every invariant must hold after
 * settling. The full run (60 s, a kill every 5 s) is `npm run chaos`.
 */
test(
  "under SIGKILLs of every process and of Redis, nothing is lost, duplicated or left charged",
  async () => {
    const result = await runChaos({
      durationMs: 15_000,
      killEveryMs: 3_000,
      killRedis: true,
      clients: 3,
      settleTimeoutMs: 30_000,
      log: () => {},
    });
    console.log(formatChaos(result));
    expect(result.kills.length).toBeGreaterThanOrEqual(3);
    expect(result.kills.some((k) => k.startsWith("redis@"))).toBe(true);
    expect(result.report.violations).toEqual([]);
    expect(result.settleMs).not.toBeNull();
    expect(result.report.counts.rentals).toBeGreaterThan(50);
  },
  120_000,
);
