import { describe, expect, test } from "bun:test";
import { AuthError } from "@rentalnang/shared/auth/errors";
import { Health } from "@rentalnang/shared/http/health";
import { createLogger } from "@rentalnang/shared/log/logger";
import { Metrics } from "@rentalnang/shared/observability/metrics";
import { ROUTES } from "../routing/routes.ts";
import { createApp } from "../app.ts";
import { upstreamPools } from "../routing/upstreams.ts";

const ORIGIN = "http://gateway.test";

/** A gateway that refuses every token: what answers here is open to anyone. */
function gateway() {
  return createApp({
    upstreams: upstreamPools({ rental: "http://127.0.0.1:1", payment: "http://127.0.0.1:1", delivery: "http://127.0.0.1:1", mypage: "http://127.0.0.1:1" }),
    timeoutMs: 1_000,
    health: new Health(),
    logger: createLogger("gateway-test", "silent"),
    metrics: new Metrics("gateway"),
    auth: { mode: "on", verifier: { verify: async () => { throw new AuthError("No token is good here."); } } },
  });
}

type Operation = { security?: unknown[]; tags?: string[] };
type Document = {
  openapi: string;
  security: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, Record<string, string>> };
};

describe("the API reference", () => {
  test("/openapi.json is one OpenAPI 3 document of every public path, with bearer security, without a token", async () => {
    const app = gateway();
    expect((await app.request(`${ORIGIN}/rentals`)).status).toBe(401);
    const res = await app.request(`${ORIGIN}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Document;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const route of ROUTES.filter((r) => r.prefix !== "/admin/queues")) {
      const paths = Object.keys(doc.paths).filter((p) => p === route.prefix || p.startsWith(`${route.prefix}/`));
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) {
        for (const method of Object.keys(doc.paths[path]!)) expect(route.methods).toContain(method.toUpperCase());
      }
    }
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/rentals", "/rentals/{id}", "/cars", "/payments/{id}", "/deliveries/{id}/confirm", "/mypages/{rentalId}"]));
    expect(doc.paths["/payments"]!.post).toBeUndefined();
    expect(doc.paths["/openapi.json"]!.get!.security).toEqual([]);
    expect(doc.paths["/rentals"]!.post!.security).toBeUndefined();
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[ref.split("/").at(-1)!]).toBeDefined();
  });

  test("/docs is an HTML page whose scripts and styles are all the gateway's own, served without a token", async () => {
    const app = gateway();
    const res = await app.request(`${ORIGIN}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    const urls = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      expect(new URL(url, `${ORIGIN}/docs`).origin).toBe(ORIGIN);
      const asset = await app.request(new URL(url, `${ORIGIN}/docs`).href);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    expect(html).not.toContain("cdn.");
    const init = await (await app.request(`${ORIGIN}/docs/assets/init.js`)).text();
    expect(init).toContain('url: "/openapi.json"');
    expect(init).not.toMatch(/https?:\/\//);
  });

  test("no inline script: the CSP's script-src stays 'self'", async () => {
    const res = await gateway().request(`${ORIGIN}/docs`);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self';");
    expect(await res.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test("only the UI's own files are served from node_modules", async () => {
    const app = gateway();
    expect((await app.request(`${ORIGIN}/docs/assets/package.json`)).status).toBe(404);
    expect((await app.request(`${ORIGIN}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  test("/favicon.ico, which browsers ask for on their own, leads to an icon without a token", async () => {
    const app = gateway();
    const res = await app.request(`${ORIGIN}/favicon.ico`);
    expect(res.status).toBe(301);
    const icon = await app.request(new URL(res.headers.get("location")!, ORIGIN).href);
    expect([icon.status, icon.headers.get("content-type")]).toEqual([200, "image/png"]);
  });

  test("a stylesheet darkens Swagger UI's colours that fail contrast", async () => {
    const css = await (await gateway().request(`${ORIGIN}/docs/assets/contrast.css`)).text();
    expect(css).toContain(".opblock-summary-method{background:");
  });
});
