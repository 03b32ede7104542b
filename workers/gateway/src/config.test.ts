import { expect, test } from "bun:test";
import { localUrl } from "@rentalnang/shared/topology/topology";
import { readConfig } from "./config.ts";

test("an upstream is one URL or its replicas' URLs separated by commas", () => {
  expect(readConfig({}).RENTAL_URL).toEqual([localUrl("rental")]);
  expect(readConfig({ RENTAL_URL: "http://rental:8081/" }).RENTAL_URL).toEqual(["http://rental:8081"]);
  expect(readConfig({ MYPAGE_URL: "http://127.0.0.1:41001, http://127.0.0.1:41002/" }).MYPAGE_URL).toEqual([
    "http://127.0.0.1:41001",
    "http://127.0.0.1:41002",
  ]);
  expect(() => readConfig({ PAYMENT_URL: "http://a:1,redis://b:2" })).toThrow(/^PAYMENT_URL: must be http\(s\):\/\/ URLs/);
  expect(() => readConfig({ DELIVERY_URL: " , " })).toThrow(/^DELIVERY_URL: must name at least one/);
});
