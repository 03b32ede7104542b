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
 * validator.swagger.io. No deep links: they put a link inside each operation's button,
 * which screen readers and keyboards cannot tell apart (axe's nested-interactive).
 */
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: false,
  validatorUrl: null,
});
`;

/**
 * Swagger UI's default colours with white or pale text under the 4.5:1 contrast that small
 * text needs (axe's color-contrast), darkened: method badges, version badges, the
 * document's link, the Authorize button, the schemas' expand buttons.
 */
const CONTRAST_CSS = `.swagger-ui .opblock.opblock-get .opblock-summary-method{background:#1a6fc4}
.swagger-ui .opblock.opblock-post .opblock-summary-method{background:#187a4a}
.swagger-ui .opblock.opblock-delete .opblock-summary-method{background:#b3261e}
.swagger-ui .opblock.opblock-put .opblock-summary-method{background:#a35200}
.swagger-ui .opblock.opblock-patch .opblock-summary-method{background:#0b7285}
.swagger-ui .info .title small{background:#4a5568}
.swagger-ui .info .title small.version-stamp{background:#3f6b00}
.swagger-ui .info a.link,.swagger-ui .info .url{color:#1f5fa8}
.swagger-ui .btn.authorize{color:#187a4a;border-color:#187a4a}
.swagger-ui .json-schema-2020-12-expand-deep-button{color:#555}
`;

/** The page's body; @hono/swagger-ui wraps it in the document (title, viewport, lang). */
const PAGE_BODY = `
  <link rel="icon" type="image/png" href="${ASSETS_PATH}/favicon-32x32.png" />
  <link rel="stylesheet" href="${ASSETS_PATH}/swagger-ui.css" />
  <link rel="stylesheet" href="${ASSETS_PATH}/contrast.css" />
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
  app.get(`${ASSETS_PATH}/contrast.css`, (c) => c.body(CONTRAST_CSS, 200, { "Content-Type": "text/css; charset=utf-8" }));
  // Browsers ask for /favicon.ico when a page names no icon in its head (Swagger UI's page
  // names it in its body): an icon, not a 401 in every page's console.
  app.get("/favicon.ico", (c) => c.redirect(`${ASSETS_PATH}/favicon-32x32.png`, 301));
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
