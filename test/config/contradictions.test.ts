import { describe, expect, test } from "bun:test";

/** Each process's config refuses settings that contradict each other (README, "Configuration"). */
describe("a configuration that contradicts itself", () => {
  test("is refused in one line naming the variable and the one it contradicts", async () => {
    const rental = await import("../../workers/rental/src/config.ts");
    expect(() => rental.readConfig({ PAYMENT_TIMEOUT_MS: "2000", STALE_PAYMENT_AFTER_MS: "1500" })).toThrow(
      /^STALE_PAYMENT_AFTER_MS: must be above PAYMENT_TIMEOUT_MS \(2000\).*\(got "1500"\)$/,
    );
    expect(rental.readConfig({ PAYMENT_TIMEOUT_MS: "2000", STALE_PAYMENT_AFTER_MS: "6000" }).STALE_PAYMENT_AFTER_MS).toBe(6000);
    expect(() => rental.readConfig({ SHUTDOWN_TIMEOUT_MS: "1000", READINESS_DRAIN_MS: "1000" })).toThrow(
      /^READINESS_DRAIN_MS: must be below SHUTDOWN_TIMEOUT_MS \(1000\)/,
    );
  });

  test("every process refuses a readiness drain as long as its shutdown deadline", async () => {
    for (const name of ["rental", "payment", "delivery", "mypage", "gateway"]) {
      const { readConfig } = await import(`../../workers/${name}/src/config.ts`);
      expect(() => readConfig({ SHUTDOWN_TIMEOUT_MS: "500", READINESS_DRAIN_MS: "800" })).toThrow(/^READINESS_DRAIN_MS:/);
    }
  });

  test("the board's credentials go together", async () => {
    const delivery = await import("../../workers/delivery/src/config.ts");
    expect(() => delivery.readConfig({ BOARD_USER: "admin" })).toThrow(/^BOARD_PASSWORD: BOARD_USER and BOARD_PASSWORD go together/);
    expect(delivery.readConfig({ BOARD_USER: "admin", BOARD_PASSWORD: "pw" }).BOARD_USER).toBe("admin");
  });
});
