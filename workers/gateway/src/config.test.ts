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

test("the rate limit: 100 per second per client unless set, 0 for none, counted in the Redis of REDIS_URL", () => {
  expect(readConfig({})).toMatchObject({ RATE_LIMIT_PER_SECOND: 100, REDIS_URL: "redis://127.0.0.1:6379", STREAM_PREFIX: "rentalnang", TRUST_PROXY: "off" });
  expect(readConfig({ RATE_LIMIT_PER_SECOND: "0" }).RATE_LIMIT_PER_SECOND).toBe(0);
  expect(() => readConfig({ RATE_LIMIT_PER_SECOND: "-1" })).toThrow(/^RATE_LIMIT_PER_SECOND: must be 0 or more/);
  expect(() => readConfig({ RATE_LIMIT_PER_SECOND: "lots" })).toThrow(/^RATE_LIMIT_PER_SECOND: must be a number/);
  expect(() => readConfig({ REDIS_URL: "redis://:s3cret@redis:6379", TRUST_PROXY: "yes" })).toThrow(/^TRUST_PROXY: must be "on" or "off"/);
});

test("the web sign-in's client: gateway with its public development secret, refused in production", () => {
  expect(readConfig({})).toMatchObject({ OIDC_CLIENT_ID: "gateway", OIDC_CLIENT_SECRET: "gateway-development-secret" });
  expect(() => readConfig({ NODE_ENV: "production" })).toThrow(/^OIDC_CLIENT_SECRET: must be set to the gateway's own client secret/);
  expect(readConfig({ NODE_ENV: "production", OIDC_CLIENT_SECRET: "a-secret-of-its-own" }).OIDC_CLIENT_SECRET).toBe("a-secret-of-its-own");
});
