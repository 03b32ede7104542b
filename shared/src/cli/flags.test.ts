import { expect, test } from "bun:test";
import { UsageError } from "./command.ts";
import { positiveInteger, wholeNumber } from "./flags.ts";

test("wholeNumber takes 0 and whole numbers; refuses the rest, naming the flag", () => {
  expect(wholeNumber("reads", "0")).toBe(0);
  expect(wholeNumber("reads", "4000")).toBe(4000);
  for (const bad of ["-1", "1.5", "", " ", "many", undefined]) {
    expect(() => wholeNumber("reads", bad)).toThrow(UsageError);
    expect(() => wholeNumber("reads", bad)).toThrow("--reads must be a whole number");
  }
});

test("positiveInteger refuses 0, which wholeNumber takes", () => {
  expect(() => positiveInteger("clients", "0")).toThrow("--clients must be a positive whole number");
  expect(positiveInteger("clients", "1")).toBe(1);
});
