import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { en } from "./en.ts";
import { ko } from "./ko.ts";
import { localeOf, translator } from "./locale.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the pages' dictionaries", () => {
  test("English and Korean have the same keys", () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  test("each Korean message has the placeholders of its English one", () => {
    const differing = Object.keys(en).filter((k) => placeholders(en[k as keyof typeof en]).join() !== placeholders(ko[k as keyof typeof ko]).join());
    expect(differing).toEqual([]);
  });

  test("a translator fills placeholders", () => {
    expect(translator("en")("reserve.price", { price: "3,000 won" })).toBe("Price: 3,000 won");
    expect(translator("ko")("status.Confirmed")).toBe("확정됨");
  });
});

describe("localeOf", () => {
  const app = new Hono().get("/", (c) => c.text(localeOf(c)));
  const localeFor = async (headers: Record<string, string>) => (await app.request("/", { headers })).text();

  test("English without a preference", async () => {
    expect(await localeFor({})).toBe("en");
  });

  test("Korean when Accept-Language prefers it, with or without a region", async () => {
    expect(await localeFor({ "accept-language": "ko-KR,ko;q=0.9,en;q=0.8" })).toBe("ko");
    expect(await localeFor({ "accept-language": "en;q=0.5, ko" })).toBe("ko");
  });

  test("English when Accept-Language prefers it, or names only languages the pages lack", async () => {
    expect(await localeFor({ "accept-language": "en-US,ko;q=0.5" })).toBe("en");
    expect(await localeFor({ "accept-language": "fr-FR" })).toBe("en");
  });

  test("the switch's cookie wins over Accept-Language", async () => {
    expect(await localeFor({ "accept-language": "ko", cookie: "lang=en" })).toBe("en");
    expect(await localeFor({ "accept-language": "en", cookie: "lang=ko" })).toBe("ko");
  });
});
