import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Hono } from "hono";

/** Where the pages' scripts, styles and icon are served: the gateway's own origin, nothing from another. */
export const ASSETS_PATH = "/assets";

/** A year: every URL names its file's hash, so a changed file is a new URL. */
const CACHE_CONTROL = "public, max-age=31536000, immutable";

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  hash: string;
}

const htmxFile = () => Bun.resolveSync("htmx.org/dist/htmx.min.js", import.meta.dir);
const own = (name: string) => join(import.meta.dir, name);

/** The files, read once when the pages are built: htmx from node_modules, the rest beside this file. */
function load(): Map<string, Asset> {
  const files: [string, string, string][] = [
    ["htmx.min.js", htmxFile(), "text/javascript; charset=utf-8"],
    ["app.js", own("app.js"), "text/javascript; charset=utf-8"],
    ["app.css", own("app.css"), "text/css; charset=utf-8"],
    ["icon.svg", own("icon.svg"), "image/svg+xml"],
  ];
  return new Map(files.map(([name, path, type]) => {
    const body = new Uint8Array(readFileSync(path));
    return [name, { body, type, hash: createHash("sha256").update(body).digest("base64url").slice(0, 12) }];
  }));
}

export interface Assets {
  /** The URL of an asset, with its hash (`/assets/app.js?v=…`). */
  url(name: "htmx.min.js" | "app.js" | "app.css" | "icon.svg"): string;
  routes: Hono;
}

/** GET /assets/<name>: the files above with long cache headers; anything else is 404. */
export function assets(): Assets {
  const files = load();
  const routes = new Hono();
  routes.get(`${ASSETS_PATH}/:name`, (c) => {
    const file = files.get(c.req.param("name"));
    if (!file) return c.notFound();
    return c.body(file.body, 200, { "Content-Type": file.type, "Cache-Control": CACHE_CONTROL, ETag: `"${file.hash}"` });
  });
  return { url: (name) => `${ASSETS_PATH}/${name}?v=${files.get(name)!.hash}`, routes };
}
