import { expect, test } from "bun:test";
import { readConfig } from "./config.ts";

test("the test-only fault switches are refused in production", () => {
  for (const key of ["FAULT_JOB_FAILURES", "FAULT_JOB_DELAY_MS"]) {
    expect(readConfig({ [key]: "1" })[key as "FAULT_JOB_DELAY_MS"]).toBe(1);
    expect(() => readConfig({ NODE_ENV: "production", [key]: "1" })).toThrow(new RegExp(`^${key}: is a test-only fault switch`));
  }
  expect(readConfig({ NODE_ENV: "production" }).FAULT_JOB_DELAY_MS).toBe(0);
});
