import { describe, expect, test } from "bun:test";
import { Readable } from "node:stream";
import { fetchHandlerOf } from "./node-bridge.ts";

describe("the Node bridge", () => {
  test("hands the listener the method, path, headers, body and address, and answers what it writes", async () => {
    const handler = fetchHandlerOf(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      res.statusCode = 201;
      res.setHeader("content-type", "application/json");
      res.setHeader("set-cookie", ["a=1; path=/", "b=2; path=/"]);
      res.end(JSON.stringify({ method: req.method, url: req.url, type: req.headers["content-type"], body, address: req.socket.remoteAddress }));
    });
    const res = await handler(new Request("http://id.example/token?x=1", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" }), "10.0.0.7");
    expect(res.status).toBe(201);
    expect(res.headers.getSetCookie()).toEqual(["a=1; path=/", "b=2; path=/"]);
    expect(await res.json()).toEqual({ method: "POST", url: "/token?x=1", type: "text/plain", body: "hi", address: "10.0.0.7" });
  });

  test("collects what is written in parts or piped, and writeHead's status and headers", async () => {
    const handler = fetchHandlerOf((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("one ");
      Readable.from(["two ", "three"]).pipe(res);
    });
    const res = await handler(new Request("http://id.example/"));
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("one two three");
  });

  test("answers no body to HEAD and to 204, and a redirect as written", async () => {
    const handler = fetchHandlerOf((req, res) => {
      res.statusCode = req.url === "/empty" ? 204 : 303;
      if (res.statusCode === 303) res.setHeader("location", "/next");
      res.end(req.url === "/empty" ? "" : "see /next");
    });
    const empty = await handler(new Request("http://id.example/empty"));
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
    const moved = await handler(new Request("http://id.example/moved"));
    expect(moved.status).toBe(303);
    expect(moved.headers.get("location")).toBe("/next");
    const head = await handler(new Request("http://id.example/moved", { method: "HEAD" }));
    expect(await head.text()).toBe("");
  });

  test("rejects when the listener throws before answering", async () => {
    const handler = fetchHandlerOf(async () => {
      throw new Error("broken");
    });
    await expect(handler(new Request("http://id.example/"))).rejects.toThrow("broken");
  });
});
