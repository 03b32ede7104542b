import { beforeAll, expect } from "bun:test";
import type { Browser, Locator, Page } from "playwright-core";
import { accessibilityViolations } from "@rentalnang/shared/testing/accessibility";
import { launchBrowser, openContext, overflowsSideways, screenshot, VIEWPORTS, type OpenContextOptions, type ViewportName } from "@rentalnang/shared/testing/browser";
import { cleanupAll } from "@rentalnang/shared/testing/cleanup";
import type { ContextWatch } from "@rentalnang/shared/testing/page-watch";
import { startStack, type Stack } from "@rentalnang/shared/testing/stack";

/**
 * What every browser test shares: the whole stack with sign-in on (as `npm start` runs it),
 * one headless chromium, and contexts watched from their first request. A file calls
 * `webFixture()` once at its top; the stack and the browser start before its first test
 * and stop after its last.
 */
export interface WebFixture {
  readonly stack: Stack;
  readonly browser: Browser;
  /** The gateway's address: the application's origin. */
  readonly app: string;
  /** A new person: a context of their own (cookies, language, width) with one watched page. */
  person(options?: Omit<OpenContextOptions, "appOrigin" | "navigationOrigins">): Promise<Person>;
}

export interface Person {
  page: Page;
  watch: ContextWatch;
  close(): Promise<void>;
}

export function webFixture(): WebFixture {
  const cleanup = cleanupAll();
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
    cleanup.defer(() => browser!.close());
    stack = await startStack({}, undefined, { auth: "on" });
    cleanup.defer(() => stack!.stop());
  });
  const fixture: WebFixture = {
    get stack() {
      return stack!;
    },
    get browser() {
      return browser!;
    },
    get app() {
      return stack!.gateway.url;
    },
    async person(options = {}) {
      const { context, watch, page } = await openContext(fixture.browser, {
        appOrigin: fixture.app, navigationOrigins: [stack!.identity.url], ...options,
      });
      // After a failed test the browser may be gone already, and its contexts with it.
      const closeContext = () => context.close().catch((error: Error) => {
        if (!/has been closed/.test(error.message)) throw error;
      });
      const forget = cleanup.defer(closeContext);
      return { page, watch, close: async () => { forget(); await closeContext(); } };
    },
  };
  return fixture;
}

/**
 * The checks every page passes, on the page as it stands: no console error, no failed
 * request, no request to another origin (so far in this context), no serious or critical
 * axe finding (`axe: false` only for a page the project does not draw); then a screenshot at each width (artifacts/browser/<name>-desktop.png and
 * <name>-phone.png), and at 375 px the page does not scroll sideways.
 */
export async function checkPage(person: Person, name: string, { axe = true }: { axe?: boolean } = {}): Promise<void> {
  const { page, watch } = person;
  if (axe) expect(await accessibilityViolations(page)).toEqual([]);
  const original = page.viewportSize();
  for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
    await page.setViewportSize(VIEWPORTS[viewport]);
    await screenshot(page, `${name}-${viewport}`);
    if (viewport === "phone") expect({ name, overflowsSideways: await overflowsSideways(page) }).toEqual({ name, overflowsSideways: false });
  }
  if (original) await page.setViewportSize(original);
  expect(watch.problems()).toEqual([]);
}

/**
 * Where `target` (a button in a table, say) ends on the right at 375 px wide, in CSS pixels
 * from the viewport's left edge: at most 375 when it is on screen without scrolling sideways.
 * The page is put back to its width afterwards.
 */
export async function rightEdgeOnPhone(person: Person, target: Locator): Promise<number> {
  const original = person.page.viewportSize();
  await person.page.setViewportSize(VIEWPORTS.phone);
  try {
    const box = await target.boundingBox();
    if (!box) throw new Error(`${target} is not drawn at ${VIEWPORTS.phone.width} px`);
    return box.x + box.width;
  } finally {
    if (original) await person.page.setViewportSize(original);
  }
}
