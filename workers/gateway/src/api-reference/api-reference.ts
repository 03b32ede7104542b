import { dirname, join } from "node:path";
import { swaggerUI } from "@hono/swagger-ui";
import { Hono } from "hono";
import document from "./public-openapi.json" with { type: "json" };

/** Where Swagger UI's own files are served from: the gateway's origin, never a CDN. */
const ASSETS_PATH = "/docs/assets";

/** The only files of swagger-ui-dist the page needs, with their media types. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const ASSETS_DIR = dirname(Bun.resolveSync("swagger-ui-dist/package.json", import.meta.dir));

/**
 * Starts the UI from a file rather than an inline script, so the gateway's CSP keeps
 * script-src to 'self'. No validator: Swagger UI's default posts the document to
 * validator.swagger.io.
 */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
});
`;

/** The page's body; @hono/swagger-ui wraps it in the document (title, viewport, lang). */
const PAGE_BODY = `
  <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png" />
  <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css" />
  <main id="swagger-ui"></main>
  <script src="${ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${ASSETS_PATH}/init.js"></script>
`;

/**
 * The API reference, open to anyone: GET /openapi.json (the public API, merged from the
 * workers' documents by `npm run openapi` into public-openapi.json beside this file) and
 * GET /docs (Swagger UI reading it, its files from node_modules).
 */
export function apiReference(): Hono {
  const app = new Hono();
  app.get("/openapi.json", (c) => c.json(document));
  app.get("/docs", swaggerUI({ title: "rentalnang API", url: "/openapi.json", manuallySwaggerUIHtml: () => PAGE_BODY }));
  app.get(`${ASSETS_PATH}/init.js`, (c) => c.body(INIT_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
  app.get(`${ASSETS_PATH}/:file`, (c) => {
    const type = ASSETS[c.req.param("file")];
    if (!type) return c.notFound();
    return c.body(Bun.file(join(ASSETS_DIR, c.req.param("file"))).stream(), 200, {
      "Content-Type": type,
      "Cache-Control": "public, max-age=3600",
    });
  });
  return app;
}
