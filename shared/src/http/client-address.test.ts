import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { clientAddress } from "./client-address.ts";

async function addressSeen(trustProxy: boolean, forwardedFor?: string) {
  const app = new Hono().get("/", (c) => c.text(clientAddress(c, trustProxy)));
  const res = await app.request("/", { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });
  return res.text();
}

describe("the address a request is counted against", () => {
  test("behind a trusted proxy: the entry the proxy appended last, not what the client wrote before it", async () => {
    expect(await addressSeen(true, "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(await addressSeen(true, "203.0.113.9")).toBe("203.0.113.9");
  });

  test("otherwise the peer, whatever X-Forwarded-For claims", async () => {
    expect(await addressSeen(false, "203.0.113.9")).toBe("unknown");
    expect(await addressSeen(true)).toBe("unknown");
  });
});
