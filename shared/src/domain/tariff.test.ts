import { describe, expect, test } from "bun:test";
import { priceOf, RENT_HOURS } from "./tariff.ts";

describe("tariff", () => {
  test("the price is hours times the hourly rate", () => {
    expect(priceOf(3, 1000)).toBe(3000);
  });

  test("a rental lasts one hour to thirty days", () => {
    expect(RENT_HOURS).toEqual({ min: 1, max: 720 });
  });
});
