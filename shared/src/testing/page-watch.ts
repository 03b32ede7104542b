import type { BrowserContext, Page, Request } from "playwright-core";

export interface WatchOptions {
  /** The application's origin (the gateway's): its pages, and the only origin they may contact. */
  appOrigin: string;
  /**
   * Origins the top-level page may navigate to besides the application's (identity's, for
   * its sign-in page). Being navigated there is not contacting it: the page there is
   * identity's own, and its requests are held to the same rule as the application's.
   */
  navigationOrigins?: string[];
}

export interface ContextWatch {
  /** console.error lines and uncaught exceptions, with the page they came from. */
  consoleErrors: string[];
  /** Requests that failed (network errors, HTTP status 400 or more), except those the page itself abandoned on navigation. */
  failedRequests(): string[];
  /** Requests the rule of origins forbids (see watchContext). */
  foreignRequests: string[];
  /** All three, one line each: empty when the pages behaved. */
  problems(): string[];
  /** Forgets what was seen so far (after a step that was expected to fail). */
  reset(): void;
}

/** Schemes that never reach the network (inline images, object URLs, blank frames). */
const LOCAL_SCHEMES = new Set(["data:", "blob:", "about:", "chrome-extension:"]);

const at = (url: string) => (url ? ` (at ${url})` : "");
const describe = (request: Request) => `${request.method()} ${request.url()}`;
const originOf = (url: string) => new URL(url).origin;

/**
 * Watches every page of a browser context from its first request on:
 *
 * - console errors and uncaught exceptions (a CSP violation or a 404 shows as one too);
 * - failed requests: network failures and answers of 400 or more. A request that fails with
 *   net::ERR_ABORTED after its page began loading another document is not counted: the browser
 *   abandons a document's pending fetches when it leaves it (a live status page always has
 *   one pending long poll), which is the page working, not failing. The same abort without
 *   a navigation (a script cancelling its own request, or the server dropping it) counts;
 * - requests to another origin. A page's subresources, fetches and frames must come from
 *   the origin of the document that asked for them, and the top-level page may only be on
 *   the application's origin or one of `navigationOrigins`. So the application's pages never
 *   contact identity; the sign-in is a navigation to identity's page and back, and identity's
 *   page asks nothing of any other origin either.
 */
export function watchContext(context: BrowserContext, { appOrigin, navigationOrigins = [] }: WatchOptions): ContextWatch {
  const pageOrigins = new Set([appOrigin, ...navigationOrigins]);
  const documents = new WeakMap<Page, number>();
  const documentAtStart = new WeakMap<Request, number>();
  const failures: { request: Request; reason: string }[] = [];
  let consoleErrors: string[] = [];
  let foreignRequests: string[] = [];

  const watchPage = (page: Page) => {
    documents.set(page, 0);
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(`${page.url()}: console error: ${message.text()}${at(message.location().url)}`);
    });
    page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: uncaught ${error.name}: ${error.message}`));
  };
  for (const page of context.pages()) watchPage(page);
  context.on("page", watchPage);

  context.on("request", (request) => {
    const page = pageOf(request);
    // Each navigation of the top frame starts the next document (its request comes before the
    // old document goes, and a same-document navigation makes none).
    if (page && request.isNavigationRequest() && !frameOf(request)?.parentFrame()) documents.set(page, (documents.get(page) ?? 0) + 1);
    if (page) documentAtStart.set(request, documents.get(page) ?? 0);
    const wrong = originRule(request, pageOrigins);
    if (wrong) foreignRequests.push(wrong);
  });
  context.on("requestfailed", (request) => failures.push({ request, reason: request.failure()?.errorText ?? "failed" }));
  context.on("response", (response) => {
    if (response.status() >= 400) failures.push({ request: response.request(), reason: `HTTP ${response.status()}` });
  });

  const abandonedOnNavigation = ({ request, reason }: { request: Request; reason: string }) => {
    if (!reason.includes("ERR_ABORTED") || request.isNavigationRequest()) return false;
    const page = pageOf(request);
    return !page || page.isClosed() || (documents.get(page) ?? 0) > (documentAtStart.get(request) ?? 0);
  };
  const failedRequests = () => failures.filter((f) => !abandonedOnNavigation(f)).map((f) => `failed request: ${describe(f.request)}: ${f.reason}`);

  return {
    get consoleErrors() {
      return consoleErrors;
    },
    get foreignRequests() {
      return foreignRequests;
    },
    failedRequests,
    problems: () => [...consoleErrors, ...failedRequests(), ...foreignRequests],
    reset() {
      consoleErrors = [];
      foreignRequests = [];
      failures.length = 0;
    },
  };
}

/** Why a request breaks the rule of origins, or undefined when it keeps it. */
function originRule(request: Request, pageOrigins: Set<string>): string | undefined {
  const url = new URL(request.url());
  if (LOCAL_SCHEMES.has(url.protocol)) return undefined;
  const frame = frameOf(request);
  if (request.isNavigationRequest() && (!frame || !frame.parentFrame())) {
    return pageOrigins.has(url.origin) ? undefined : `navigation to another origin: ${describe(request)}`;
  }
  // A frame's document is the one its parent allows; anything else comes from the document that asked.
  const asker = request.isNavigationRequest() ? frame?.parentFrame()?.url() : frame?.url();
  if (!asker || LOCAL_SCHEMES.has(new URL(asker).protocol)) return undefined;
  return url.origin === originOf(asker) ? undefined : `request to another origin from ${asker}: ${describe(request)}`;
}

function frameOf(request: Request) {
  try {
    return request.frame();
  } catch {
    return undefined; // a service worker's request has no frame
  }
}

function pageOf(request: Request): Page | undefined {
  return frameOf(request)?.page();
}
