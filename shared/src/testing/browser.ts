import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { watchContext, type ContextWatch, type WatchOptions } from "./page-watch.ts";

/**
 * A real browser for the web pages' tests: Debian's chromium driven by playwright-core, which
 * downloads no browser of its own. Nothing is installed at run time: `.ci/run` installs
 * chromium with apt-get when it is missing, as it does redis-server, and a machine without it
 * fails here with one line saying so (as the integration tests do without redis-server)
 * rather than skipping the pages' tests.
 */

const ROOT = join(import.meta.dir, "../../..");
/** Where screenshots go: git-ignored, and skipped by the repository's own checks. */
export const ARTIFACTS_DIR = join(ROOT, "artifacts", "browser");
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** The two widths every page is looked at: a desktop and a small phone (375 px). */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** CHROMIUM_PATH, else Debian's chromium (or Ubuntu's chromium-browser). */
export function chromiumPath(): string {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    if (!existsSync(wanted)) throw new Error(`CHROMIUM_PATH=${wanted} does not exist`);
    return wanted;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error("chromium is not installed: the web pages' tests drive it (.ci/run installs it: apt-get install chromium), or set CHROMIUM_PATH");
  }
  return found;
}

/** Headless chromium; close it when done (`browser.close()`). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true });
}

export interface OpenContextOptions extends WatchOptions {
  viewport?: ViewportName;
  /** The browser's language (Accept-Language and navigator.language), "en-US" unless given. */
  locale?: string;
  /** Times on the pages show in this zone: the original's users were in Korea. */
  timezoneId?: string;
}

export interface WatchedContext {
  context: BrowserContext;
  watch: ContextWatch;
  page: Page;
}

/** A fresh context (its own cookies: one person) with one page, watched from its first request. */
export async function openContext(browser: Browser, options: OpenContextOptions): Promise<WatchedContext> {
  const { viewport = "desktop", locale = "en-US", timezoneId = "Asia/Seoul", ...watchOptions } = options;
  const contextOptions: BrowserContextOptions = { viewport: VIEWPORTS[viewport], locale, timezoneId };
  const context = await browser.newContext(contextOptions);
  const watch = watchContext(context, watchOptions);
  return { context, watch, page: await context.newPage() };
}

/** A full-page screenshot as artifacts/browser/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Whether the page scrolls sideways at its current width: a page readable at 375 px does not. */
export async function overflowsSideways(page: Page): Promise<boolean> {
  // A string, run in the page: the project's types have no DOM.
  return (await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")) === true;
}
