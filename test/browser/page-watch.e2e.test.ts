import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { launchBrowser, openContext } from "@rentalnang/shared/testing/browser";

/**
 * The watch every browser test relies on (shared/src/testing/page-watch.ts), against two
 * tiny servers on two origins: it must see what it promises to see, or a clean page proves
 * nothing. The long poll here is the pages' own pattern: a fetch the server never answers.
 */

const PAGES: Record<string, (other: string) => string> = {
  "/clean": () => `<p>clean</p><script src="/ok.js"></script>`,
  "/console": () => `<script src="/console-error.js"></script>`,
  "/missing": () => `<img src="/nothing-here.png" alt="">`,
  "/other-origin": (other) => `<img src="${other}/pixel.png" alt="">`,
  "/long-poll": () => `<script src="/long-poll.js"></script>`,
  "/cancelled": () => `<script src="/cancelled.js"></script>`,
};
const SCRIPTS: Record<string, string> = {
  "/ok.js": "void 0;",
  "/console-error.js": `console.error("something broke");`,
  "/long-poll.js": `fetch("/wait").catch(() => {}); document.title = "waiting";`,
  "/cancelled.js": `const a = new AbortController(); fetch("/wait", { signal: a.signal }).catch(() => { document.title = "cancelled"; }); setTimeout(() => a.abort(), 50);`,
};

let browser: Browser;
let app: ReturnType<typeof Bun.serve>;
let other: ReturnType<typeof Bun.serve>;
const pending: (() => void)[] = [];

beforeAll(async () => {
  other = Bun.serve({ port: 0, fetch: () => new Response(new Uint8Array(), { headers: { "content-type": "image/png" } }) });
  const otherOrigin = `http://localhost:${other.port}`;
  app = Bun.serve({
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      if (path === "/wait") return new Promise<Response>((resolve) => pending.push(() => resolve(new Response("late"))));
      const page = PAGES[path];
      if (page) return new Response(`<!DOCTYPE html><html lang="en"><head><link rel="icon" href="data:,"><title>t</title></head><body>${page(otherOrigin)}</body></html>`, { headers: { "content-type": "text/html" } });
      const script = SCRIPTS[path];
      if (script) return new Response(script, { headers: { "content-type": "text/javascript" } });
      return new Response("no", { status: 404 });
    },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  for (const answer of pending) answer();
  app?.stop(true);
  other?.stop(true);
});

/** Opens `path` in a fresh watched context, lets `then` act on the page, and returns what the watch saw. */
async function visit(path: string, then?: (page: import("playwright-core").Page) => Promise<void>) {
  const origin = `http://127.0.0.1:${app.port}`;
  const { context, page, watch } = await openContext(browser, { appOrigin: origin });
  try {
    await page.goto(`${origin}${path}`);
    await page.waitForLoadState("load");
    if (then) await then(page);
    return { console: watch.consoleErrors, failed: watch.failedRequests(), foreign: watch.foreignRequests };
  } finally {
    await context.close();
  }
}

describe("the page watch", () => {
  test("a clean page leaves nothing", async () => {
    expect(await visit("/clean")).toEqual({ console: [], failed: [], foreign: [] });
  });

  test("sees console errors, answers of 400 or more, and requests to another origin", async () => {
    expect((await visit("/console")).console).toEqual([expect.stringContaining("console error: something broke")]);
    expect((await visit("/missing")).failed).toEqual([expect.stringMatching(/GET .*\/nothing-here\.png: HTTP 404$/)]);
    expect((await visit("/other-origin")).foreign).toEqual([expect.stringMatching(/request to another origin from .*\/other-origin: GET http:\/\/localhost:\d+\/pixel\.png/)]);
  });

  test("a pending long poll abandoned by leaving the page is not a failure; one cancelled by the page itself is", async () => {
    const left = await visit("/long-poll", async (page) => {
      await page.waitForFunction("document.title === 'waiting'");
      await page.goto(`http://127.0.0.1:${app.port}/clean`);
    });
    expect(left).toEqual({ console: [], failed: [], foreign: [] });
    const cancelled = await visit("/cancelled", (page) => page.waitForFunction("document.title === 'cancelled'").then(() => {}));
    expect(cancelled.failed).toEqual([expect.stringMatching(/GET .*\/wait: net::ERR_ABORTED$/)]);
  });
});
